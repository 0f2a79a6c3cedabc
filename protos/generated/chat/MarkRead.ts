// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface MarkRead {
  'room_id'?: (string);
  'seq'?: (number | string | Long);
}

export interface MarkRead__Output {
  'room_id': (string);
  'seq': (number);
}
