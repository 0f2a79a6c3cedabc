// Issue 13: what the Session stream's parts share (types only): the context a
// Session stream runs in, and the live session its frame handlers act on.
import type { FrameWriter } from './frame-writer.js';
import type { SessionContext } from './session-context.js';
import type { SessionHandle } from './session-registry.js';
import type { SessionRooms } from './session-rooms.js';

export type { SessionContext };

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
  /** `joined` resolves once the session is in the room (its replay written); null when it was not entered. */
  enterRoom(roomId: string, opts: EnterOptions): Promise<{ joined: Promise<void> } | null>;
  /** A SessionError event; the session goes on. */
  error(code: number, details: string, requestId: number, roomId: string): void;
}

/** What the hello (session-start.ts) does to the stream it starts. */
export interface StartingSession extends LiveSession, SessionHandle {
  /** With accounts: the name the token may speak as. */
  readonly tokenUser: string | null;
  /** The stream ended while the hello was under way. */
  readonly closed: boolean;
  readonly peer: string | undefined;
  /** The hello passed: who this is; the name is held here from now on. */
  identify(username: string, userId: string): void;
  /** The welcome is out: errors raised meanwhile go out now. */
  welcomed(): void;
}
