// Original file: protos/chat.proto

import type { Hello as _chat_Hello, Hello__Output as _chat_Hello__Output } from '../chat/Hello.js';
import type { JoinRoom as _chat_JoinRoom, JoinRoom__Output as _chat_JoinRoom__Output } from '../chat/JoinRoom.js';
import type { LeaveRoom as _chat_LeaveRoom, LeaveRoom__Output as _chat_LeaveRoom__Output } from '../chat/LeaveRoom.js';
import type { Post as _chat_Post, Post__Output as _chat_Post__Output } from '../chat/Post.js';
import type { MarkRead as _chat_MarkRead, MarkRead__Output as _chat_MarkRead__Output } from '../chat/MarkRead.js';
import type { Typing as _chat_Typing, Typing__Output as _chat_Typing__Output } from '../chat/Typing.js';
import type { FetchHistory as _chat_FetchHistory, FetchHistory__Output as _chat_FetchHistory__Output } from '../chat/FetchHistory.js';
import type { ListMembersRequest as _chat_ListMembersRequest, ListMembersRequest__Output as _chat_ListMembersRequest__Output } from '../chat/ListMembersRequest.js';
import type { SetAway as _chat_SetAway, SetAway__Output as _chat_SetAway__Output } from '../chat/SetAway.js';
import type { EditMessage as _chat_EditMessage, EditMessage__Output as _chat_EditMessage__Output } from '../chat/EditMessage.js';
import type { DeleteMessage as _chat_DeleteMessage, DeleteMessage__Output as _chat_DeleteMessage__Output } from '../chat/DeleteMessage.js';
import type { React as _chat_React, React__Output as _chat_React__Output } from '../chat/React.js';
import type { Moderate as _chat_Moderate, Moderate__Output as _chat_Moderate__Output } from '../chat/Moderate.js';

export interface ClientFrame {
  'hello'?: (_chat_Hello | null);
  'join'?: (_chat_JoinRoom | null);
  'leave'?: (_chat_LeaveRoom | null);
  'post'?: (_chat_Post | null);
  'read'?: (_chat_MarkRead | null);
  'typing'?: (_chat_Typing | null);
  'fetch_history'?: (_chat_FetchHistory | null);
  'members'?: (_chat_ListMembersRequest | null);
  'away'?: (_chat_SetAway | null);
  'edit'?: (_chat_EditMessage | null);
  'delete'?: (_chat_DeleteMessage | null);
  'react'?: (_chat_React | null);
  'moderate'?: (_chat_Moderate | null);
  'request_id'?: (number);
  'frame'?: "hello"|"join"|"leave"|"post"|"read"|"typing"|"fetch_history"|"members"|"away"|"edit"|"delete"|"react"|"moderate";
}

export interface ClientFrame__Output {
  'hello'?: (_chat_Hello__Output | null);
  'join'?: (_chat_JoinRoom__Output | null);
  'leave'?: (_chat_LeaveRoom__Output | null);
  'post'?: (_chat_Post__Output | null);
  'read'?: (_chat_MarkRead__Output | null);
  'typing'?: (_chat_Typing__Output | null);
  'fetch_history'?: (_chat_FetchHistory__Output | null);
  'members'?: (_chat_ListMembersRequest__Output | null);
  'away'?: (_chat_SetAway__Output | null);
  'edit'?: (_chat_EditMessage__Output | null);
  'delete'?: (_chat_DeleteMessage__Output | null);
  'react'?: (_chat_React__Output | null);
  'moderate'?: (_chat_Moderate__Output | null);
  'request_id': (number);
  'frame'?: "hello"|"join"|"leave"|"post"|"read"|"typing"|"fetch_history"|"members"|"away"|"edit"|"delete"|"react"|"moderate";
}
