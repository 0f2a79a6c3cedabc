// Original file: protos/chat.proto

import type { MessageType as _chat_MessageType, MessageType__Output as _chat_MessageType__Output } from '../chat/MessageType.js';
import type { NoticeKind as _chat_NoticeKind, NoticeKind__Output as _chat_NoticeKind__Output } from '../chat/NoticeKind.js';
import type { MessageAction as _chat_MessageAction, MessageAction__Output as _chat_MessageAction__Output } from '../chat/MessageAction.js';
import type { Reaction as _chat_Reaction, Reaction__Output as _chat_Reaction__Output } from '../chat/Reaction.js';
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
  'reply_to'?: (number | string | Long);
  'reply_quote'?: (string);
  'action'?: (_chat_MessageAction);
  'target_seq'?: (number | string | Long);
  'subject'?: (string);
  'detail'?: (string);
  'minutes'?: (number);
  'edited'?: (boolean);
  'deleted'?: (boolean);
  'reactions'?: (_chat_Reaction)[];
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
  'reply_to': (number);
  'reply_quote': (string);
  'action': (_chat_MessageAction__Output);
  'target_seq': (number);
  'subject': (string);
  'detail': (string);
  'minutes': (number);
  'edited': (boolean);
  'deleted': (boolean);
  'reactions': (_chat_Reaction__Output)[];
  '_resume_after_seq'?: "resume_after_seq";
}
