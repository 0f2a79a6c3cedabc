// Issue 13: what the Session stream's parts share (types only): the context a
// Session stream runs in, and the live session its frame handlers act on.
import type { ServerInfo } from '../protos/generated/chat/ServerInfo.js';
import type { FrameWriter } from './frame-writer.js';
import type { StreamContext } from './join-chat.js';
import type { SessionRegistry } from './session-registry.js';
import type { SessionRooms } from './session-rooms.js';
import type { Store } from './store/types.js';
import type { Bus, Presence } from './types.js';

export interface SessionContext extends StreamContext {
  /** User events and room signals for every server sharing the store. */
  bus: Bus;
  /** This server's sessions by user and room. */
  registry: SessionRegistry;
  /** The history store; `store.users` keeps users' rooms, read markers and away state. */
  store: Store;
  presence: Presence;
  /** What GetServerInfo answers. */
  serverInfo(): ServerInfo;
}

export interface EnterOptions {
  /** Replay what followed this seq (and a caught-up mark); absent: recent history. */
  resumeAfterSeq?: number;
  /** Store a JOIN (an explicit join of a room that is not direct). */
  announce: boolean;
  /** The user's read marker, when already read; else it is read from the store. */
  readSeq?: number;
}

/** A session past its hello: who it is, and what a frame handler may do with it. */
export interface LiveSession {
  readonly ctx: SessionContext;
  /** As the hello spelt it. */
  readonly username: string;
  readonly userId: string;
  /** The lower-cased username, UserState's and the bus's key. */
  readonly userKey: string;
  readonly rooms: SessionRooms;
  readonly writer: FrameWriter;
  /** Sends the room's state (a `room` event), then joins it: history or what was missed, then live. */
  enterRoom(roomId: string, opts: EnterOptions): Promise<void>;
  /** A SessionError event; the session goes on. */
  error(code: number, details: string, requestId: number, roomId: string): void;
}
