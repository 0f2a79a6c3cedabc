// Original file: protos/chat.proto

import type { PresenceState as _chat_PresenceState, PresenceState__Output as _chat_PresenceState__Output } from '../chat/PresenceState.js';

export interface Member {
  'user_id'?: (string);
  'username'?: (string);
  'presence'?: (_chat_PresenceState);
  'away_reason'?: (string);
}

export interface Member__Output {
  'user_id': (string);
  'username': (string);
  'presence': (_chat_PresenceState__Output);
  'away_reason': (string);
}
