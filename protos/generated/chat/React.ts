// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface React {
  'room_id'?: (string);
  'seq'?: (number | string | Long);
  'emoji'?: (string);
}

export interface React__Output {
  'room_id': (string);
  'seq': (number);
  'emoji': (string);
}
