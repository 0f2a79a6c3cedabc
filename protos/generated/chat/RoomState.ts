// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface RoomState {
  'room_id'?: (string);
  'direct'?: (boolean);
  'peer'?: (string);
  'latest_seq'?: (number | string | Long);
  'read_seq'?: (number | string | Long);
  'unread'?: (number);
  'mentions'?: (number);
  'topic'?: (string);
  'private'?: (boolean);
  'operator'?: (boolean);
}

export interface RoomState__Output {
  'room_id': (string);
  'direct': (boolean);
  'peer': (string);
  'latest_seq': (number);
  'read_seq': (number);
  'unread': (number);
  'mentions': (number);
  'topic': (string);
  'private': (boolean);
  'operator': (boolean);
}
