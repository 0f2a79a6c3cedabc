// Original file: protos/chat.proto

import type { RoomCursor as _chat_RoomCursor, RoomCursor__Output as _chat_RoomCursor__Output } from '../chat/RoomCursor.js';

export interface Hello {
  'username'?: (string);
  'user_id'?: (string);
  'join'?: (string)[];
  'resume'?: (_chat_RoomCursor)[];
}

export interface Hello__Output {
  'username': (string);
  'user_id': (string);
  'join': (string)[];
  'resume': (_chat_RoomCursor__Output)[];
}
