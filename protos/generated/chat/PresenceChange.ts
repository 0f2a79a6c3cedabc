// Original file: protos/chat.proto

import type { PresenceState as _chat_PresenceState, PresenceState__Output as _chat_PresenceState__Output } from '../chat/PresenceState.js';

export interface PresenceChange {
  'username'?: (string);
  'presence'?: (_chat_PresenceState);
  'away_reason'?: (string);
}

export interface PresenceChange__Output {
  'username': (string);
  'presence': (_chat_PresenceState__Output);
  'away_reason': (string);
}
