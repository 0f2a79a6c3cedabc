// Original file: protos/chat.proto

import type { ChatMessage as _chat_ChatMessage, ChatMessage__Output as _chat_ChatMessage__Output } from '../chat/ChatMessage.js';

export interface HistoryPage {
  'room_id'?: (string);
  'messages'?: (_chat_ChatMessage)[];
  'reached_start'?: (boolean);
  'request_id'?: (number);
}

export interface HistoryPage__Output {
  'room_id': (string);
  'messages': (_chat_ChatMessage__Output)[];
  'reached_start': (boolean);
  'request_id': (number);
}
