// Original file: protos/chat.proto

import type { Long } from '@grpc/proto-loader';

export interface JoinRoom {
  'room_id'?: (string);
  'resume_after_seq'?: (number | string | Long);
  '_resume_after_seq'?: "resume_after_seq";
}

export interface JoinRoom__Output {
  'room_id': (string);
  'resume_after_seq'?: (number);
  '_resume_after_seq'?: "resume_after_seq";
}
