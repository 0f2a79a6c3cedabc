// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface RoomInfo {
  'room_id'?: (string);
  'member_count'?: (number);
  'latest_seq'?: (number | string | Long);
  'topic'?: (string);
  'private'?: (boolean);
}

export interface RoomInfo__Output {
  'room_id': (string);
  'member_count': (number);
  'latest_seq': (number);
  'topic': (string);
  'private': (boolean);
}
