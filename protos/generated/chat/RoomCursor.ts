// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface RoomCursor {
  'room_id'?: (string);
  'after_seq'?: (number | string | Long);
}

export interface RoomCursor__Output {
  'room_id': (string);
  'after_seq': (number);
}
