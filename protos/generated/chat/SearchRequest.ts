// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface SearchRequest {
  'room_id'?: (string);
  'query'?: (string);
  'before_seq'?: (number | string | Long);
  'limit'?: (number);
}

export interface SearchRequest__Output {
  'room_id': (string);
  'query': (string);
  'before_seq': (number);
  'limit': (number);
}
