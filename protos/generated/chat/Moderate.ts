// Original file: protos/chat.proto

import type { MessageAction as _chat_MessageAction, MessageAction__Output as _chat_MessageAction__Output } from '../chat/MessageAction.js';

export interface Moderate {
  'room_id'?: (string);
  'action'?: (_chat_MessageAction);
  'subject'?: (string);
  'detail'?: (string);
  'minutes'?: (number);
}

export interface Moderate__Output {
  'room_id': (string);
  'action': (_chat_MessageAction__Output);
  'subject': (string);
  'detail': (string);
  'minutes': (number);
}
