// Original file: protos/chat.proto

import type { ChatMessage as _chat_ChatMessage, ChatMessage__Output as _chat_ChatMessage__Output } from '../chat/ChatMessage.js';
import type { Long } from '@grpc/proto-loader';

export interface SearchResults {
  'room_id'?: (string);
  'messages'?: (_chat_ChatMessage)[];
  'more'?: (boolean);
  'next_before_seq'?: (number | string | Long);
}

export interface SearchResults__Output {
  'room_id': (string);
  'messages': (_chat_ChatMessage__Output)[];
  'more': (boolean);
  'next_before_seq': (number);
}
