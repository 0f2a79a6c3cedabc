// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface FetchHistory {
  'room_id'?: (string);
  'before_seq'?: (number | string | Long);
  'limit'?: (number);
}

export interface FetchHistory__Output {
  'room_id': (string);
  'before_seq': (number);
  'limit': (number);
}
