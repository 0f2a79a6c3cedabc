// Original file: protos/chat.proto

import type { SessionEvent as _chat_SessionEvent, SessionEvent__Output as _chat_SessionEvent__Output } from '../chat/SessionEvent.js';

export interface ServerFrame {
  'events'?: (_chat_SessionEvent)[];
}

export interface ServerFrame__Output {
  'events': (_chat_SessionEvent__Output)[];
}
