// Original file: protos/chat.proto

import type { MessageType as _chat_MessageType, MessageType__Output as _chat_MessageType__Output } from '../chat/MessageType.js';
import type { NoticeKind as _chat_NoticeKind, NoticeKind__Output as _chat_NoticeKind__Output } from '../chat/NoticeKind.js';
import type { Long } from '@grpc/proto-loader';

export interface ChatMessage {
  'user_id'?: (string);
  'username'?: (string);
  'message'?: (string);
  'timestamp'?: (number | string | Long);
  'type'?: (_chat_MessageType);
  'room_id'?: (string);
  'seq'?: (number | string | Long);
  'resume_after_seq'?: (number | string | Long);
  'notice'?: (_chat_NoticeKind);
  'refused'?: (string);
  'client_msg_id'?: (string);
  'retry_after_ms'?: (number);
  '_resume_after_seq'?: "resume_after_seq";
}

export interface ChatMessage__Output {
  'user_id': (string);
  'username': (string);
  'message': (string);
  'timestamp': (number);
  'type': (_chat_MessageType__Output);
  'room_id': (string);
  'seq': (number);
  'resume_after_seq'?: (number);
  'notice': (_chat_NoticeKind__Output);
  'refused': (string);
  'client_msg_id': (string);
  'retry_after_ms': (number);
  '_resume_after_seq'?: "resume_after_seq";
}
