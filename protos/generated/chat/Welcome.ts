// Original file: protos/chat.proto

import type { ServerInfo as _chat_ServerInfo, ServerInfo__Output as _chat_ServerInfo__Output } from '../chat/ServerInfo.js';
import type { RoomState as _chat_RoomState, RoomState__Output as _chat_RoomState__Output } from '../chat/RoomState.js';

export interface Welcome {
  'username'?: (string);
  'user_id'?: (string);
  'server'?: (_chat_ServerInfo | null);
  'rooms'?: (_chat_RoomState)[];
  'away'?: (boolean);
  'away_reason'?: (string);
}

export interface Welcome__Output {
  'username': (string);
  'user_id': (string);
  'server': (_chat_ServerInfo__Output | null);
  'rooms': (_chat_RoomState__Output)[];
  'away': (boolean);
  'away_reason': (string);
}
