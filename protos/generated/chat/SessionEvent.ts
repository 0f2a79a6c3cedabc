// Original file: protos/chat.proto

import type { ChatMessage as _chat_ChatMessage, ChatMessage__Output as _chat_ChatMessage__Output } from '../chat/ChatMessage.js';
import type { Welcome as _chat_Welcome, Welcome__Output as _chat_Welcome__Output } from '../chat/Welcome.js';
import type { RoomState as _chat_RoomState, RoomState__Output as _chat_RoomState__Output } from '../chat/RoomState.js';
import type { RoomLeft as _chat_RoomLeft, RoomLeft__Output as _chat_RoomLeft__Output } from '../chat/RoomLeft.js';
import type { ReadMarker as _chat_ReadMarker, ReadMarker__Output as _chat_ReadMarker__Output } from '../chat/ReadMarker.js';
import type { TypingState as _chat_TypingState, TypingState__Output as _chat_TypingState__Output } from '../chat/TypingState.js';
import type { PresenceChange as _chat_PresenceChange, PresenceChange__Output as _chat_PresenceChange__Output } from '../chat/PresenceChange.js';
import type { HistoryPage as _chat_HistoryPage, HistoryPage__Output as _chat_HistoryPage__Output } from '../chat/HistoryPage.js';
import type { MemberList as _chat_MemberList, MemberList__Output as _chat_MemberList__Output } from '../chat/MemberList.js';
import type { SessionError as _chat_SessionError, SessionError__Output as _chat_SessionError__Output } from '../chat/SessionError.js';

export interface SessionEvent {
  'message'?: (_chat_ChatMessage | null);
  'welcome'?: (_chat_Welcome | null);
  'room'?: (_chat_RoomState | null);
  'left'?: (_chat_RoomLeft | null);
  'read'?: (_chat_ReadMarker | null);
  'typing'?: (_chat_TypingState | null);
  'presence'?: (_chat_PresenceChange | null);
  'history'?: (_chat_HistoryPage | null);
  'members'?: (_chat_MemberList | null);
  'error'?: (_chat_SessionError | null);
  'event'?: "message"|"welcome"|"room"|"left"|"read"|"typing"|"presence"|"history"|"members"|"error";
}

export interface SessionEvent__Output {
  'message'?: (_chat_ChatMessage__Output | null);
  'welcome'?: (_chat_Welcome__Output | null);
  'room'?: (_chat_RoomState__Output | null);
  'left'?: (_chat_RoomLeft__Output | null);
  'read'?: (_chat_ReadMarker__Output | null);
  'typing'?: (_chat_TypingState__Output | null);
  'presence'?: (_chat_PresenceChange__Output | null);
  'history'?: (_chat_HistoryPage__Output | null);
  'members'?: (_chat_MemberList__Output | null);
  'error'?: (_chat_SessionError__Output | null);
  'event'?: "message"|"welcome"|"room"|"left"|"read"|"typing"|"presence"|"history"|"members"|"error";
}
