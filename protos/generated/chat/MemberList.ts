// Original file: protos/chat.proto

import type { Member as _chat_Member, Member__Output as _chat_Member__Output } from '../chat/Member.js';

export interface MemberList {
  'room_id'?: (string);
  'members'?: (_chat_Member)[];
  'request_id'?: (number);
}

export interface MemberList__Output {
  'room_id': (string);
  'members': (_chat_Member__Output)[];
  'request_id': (number);
}
