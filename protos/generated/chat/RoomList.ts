// Original file: protos/chat.proto

import type { RoomInfo as _chat_RoomInfo, RoomInfo__Output as _chat_RoomInfo__Output } from '../chat/RoomInfo.js';

export interface RoomList {
  'rooms'?: (_chat_RoomInfo)[];
}

export interface RoomList__Output {
  'rooms': (_chat_RoomInfo__Output)[];
}
