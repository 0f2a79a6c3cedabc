// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteMessage {
  'room_id'?: (string);
  'seq'?: (number | string | Long);
}

export interface DeleteMessage__Output {
  'room_id': (string);
  'seq': (number);
}
