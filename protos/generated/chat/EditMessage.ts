// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface EditMessage {
  'room_id'?: (string);
  'seq'?: (number | string | Long);
  'text'?: (string);
}

export interface EditMessage__Output {
  'room_id': (string);
  'seq': (number);
  'text': (string);
}
