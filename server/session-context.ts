// Issue 13: what a Session stream runs in: everything a JoinChat stream has,
// and the bus, this server's session registry, the store (with users' state),
// presence and the server's info. Types only.
import type { ServerInfo } from '../protos/generated/chat/ServerInfo.js';
import type { StreamContext } from './join-chat.js';
import type { SessionRegistry } from './session-registry.js';
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

