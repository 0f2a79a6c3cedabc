// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface Post {
  'room_id'?: (string);
  'text'?: (string);
  'client_msg_id'?: (string);
  'reply_to'?: (number | string | Long);
}

export interface Post__Output {
  'room_id': (string);
  'text': (string);
  'client_msg_id': (string);
  'reply_to': (number);
}
