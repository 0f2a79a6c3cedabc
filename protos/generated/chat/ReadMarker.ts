// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface ReadMarker {
  'room_id'?: (string);
  'seq'?: (number | string | Long);
}

export interface ReadMarker__Output {
  'room_id': (string);
  'seq': (number);
}
