import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ChatMessage as _chat_ChatMessage, ChatMessage__Output as _chat_ChatMessage__Output } from './chat/ChatMessage.js';
import type { ChatServiceClient as _chat_ChatServiceClient, ChatServiceDefinition as _chat_ChatServiceDefinition } from './chat/ChatService.js';
import type { ClientFrame as _chat_ClientFrame, ClientFrame__Output as _chat_ClientFrame__Output } from './chat/ClientFrame.js';
import type { DeleteMessage as _chat_DeleteMessage, DeleteMessage__Output as _chat_DeleteMessage__Output } from './chat/DeleteMessage.js';
import type { EditMessage as _chat_EditMessage, EditMessage__Output as _chat_EditMessage__Output } from './chat/EditMessage.js';
import type { FetchHistory as _chat_FetchHistory, FetchHistory__Output as _chat_FetchHistory__Output } from './chat/FetchHistory.js';
import type { Hello as _chat_Hello, Hello__Output as _chat_Hello__Output } from './chat/Hello.js';
import type { HistoryPage as _chat_HistoryPage, HistoryPage__Output as _chat_HistoryPage__Output } from './chat/HistoryPage.js';
import type { HistoryRequest as _chat_HistoryRequest, HistoryRequest__Output as _chat_HistoryRequest__Output } from './chat/HistoryRequest.js';
import type { JoinRoom as _chat_JoinRoom, JoinRoom__Output as _chat_JoinRoom__Output } from './chat/JoinRoom.js';
import type { LeaveRoom as _chat_LeaveRoom, LeaveRoom__Output as _chat_LeaveRoom__Output } from './chat/LeaveRoom.js';
import type { ListMembersRequest as _chat_ListMembersRequest, ListMembersRequest__Output as _chat_ListMembersRequest__Output } from './chat/ListMembersRequest.js';
import type { ListRoomsRequest as _chat_ListRoomsRequest, ListRoomsRequest__Output as _chat_ListRoomsRequest__Output } from './chat/ListRoomsRequest.js';
import type { MarkRead as _chat_MarkRead, MarkRead__Output as _chat_MarkRead__Output } from './chat/MarkRead.js';
import type { Member as _chat_Member, Member__Output as _chat_Member__Output } from './chat/Member.js';
import type { MemberList as _chat_MemberList, MemberList__Output as _chat_MemberList__Output } from './chat/MemberList.js';
import type { Moderate as _chat_Moderate, Moderate__Output as _chat_Moderate__Output } from './chat/Moderate.js';
import type { Post as _chat_Post, Post__Output as _chat_Post__Output } from './chat/Post.js';
import type { PresenceChange as _chat_PresenceChange, PresenceChange__Output as _chat_PresenceChange__Output } from './chat/PresenceChange.js';
import type { React as _chat_React, React__Output as _chat_React__Output } from './chat/React.js';
import type { Reaction as _chat_Reaction, Reaction__Output as _chat_Reaction__Output } from './chat/Reaction.js';
import type { ReadMarker as _chat_ReadMarker, ReadMarker__Output as _chat_ReadMarker__Output } from './chat/ReadMarker.js';
import type { RoomCursor as _chat_RoomCursor, RoomCursor__Output as _chat_RoomCursor__Output } from './chat/RoomCursor.js';
import type { RoomInfo as _chat_RoomInfo, RoomInfo__Output as _chat_RoomInfo__Output } from './chat/RoomInfo.js';
import type { RoomLeft as _chat_RoomLeft, RoomLeft__Output as _chat_RoomLeft__Output } from './chat/RoomLeft.js';
import type { RoomList as _chat_RoomList, RoomList__Output as _chat_RoomList__Output } from './chat/RoomList.js';
import type { RoomState as _chat_RoomState, RoomState__Output as _chat_RoomState__Output } from './chat/RoomState.js';
import type { SearchRequest as _chat_SearchRequest, SearchRequest__Output as _chat_SearchRequest__Output } from './chat/SearchRequest.js';
import type { SearchResults as _chat_SearchResults, SearchResults__Output as _chat_SearchResults__Output } from './chat/SearchResults.js';
import type { ServerFrame as _chat_ServerFrame, ServerFrame__Output as _chat_ServerFrame__Output } from './chat/ServerFrame.js';
import type { ServerInfo as _chat_ServerInfo, ServerInfo__Output as _chat_ServerInfo__Output } from './chat/ServerInfo.js';
import type { ServerInfoRequest as _chat_ServerInfoRequest, ServerInfoRequest__Output as _chat_ServerInfoRequest__Output } from './chat/ServerInfoRequest.js';
import type { SessionError as _chat_SessionError, SessionError__Output as _chat_SessionError__Output } from './chat/SessionError.js';
import type { SessionEvent as _chat_SessionEvent, SessionEvent__Output as _chat_SessionEvent__Output } from './chat/SessionEvent.js';
import type { SetAway as _chat_SetAway, SetAway__Output as _chat_SetAway__Output } from './chat/SetAway.js';
import type { Typing as _chat_Typing, Typing__Output as _chat_Typing__Output } from './chat/Typing.js';
import type { TypingState as _chat_TypingState, TypingState__Output as _chat_TypingState__Output } from './chat/TypingState.js';
import type { Welcome as _chat_Welcome, Welcome__Output as _chat_Welcome__Output } from './chat/Welcome.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  chat: {
    ChatMessage: MessageTypeDefinition<_chat_ChatMessage, _chat_ChatMessage__Output>
    ChatService: SubtypeConstructor<typeof grpc.Client, _chat_ChatServiceClient> & { service: _chat_ChatServiceDefinition }
    ClientFrame: MessageTypeDefinition<_chat_ClientFrame, _chat_ClientFrame__Output>
    DeleteMessage: MessageTypeDefinition<_chat_DeleteMessage, _chat_DeleteMessage__Output>
    EditMessage: MessageTypeDefinition<_chat_EditMessage, _chat_EditMessage__Output>
    FetchHistory: MessageTypeDefinition<_chat_FetchHistory, _chat_FetchHistory__Output>
    Hello: MessageTypeDefinition<_chat_Hello, _chat_Hello__Output>
    HistoryPage: MessageTypeDefinition<_chat_HistoryPage, _chat_HistoryPage__Output>
    HistoryRequest: MessageTypeDefinition<_chat_HistoryRequest, _chat_HistoryRequest__Output>
    JoinRoom: MessageTypeDefinition<_chat_JoinRoom, _chat_JoinRoom__Output>
    LeaveRoom: MessageTypeDefinition<_chat_LeaveRoom, _chat_LeaveRoom__Output>
    ListMembersRequest: MessageTypeDefinition<_chat_ListMembersRequest, _chat_ListMembersRequest__Output>
    ListRoomsRequest: MessageTypeDefinition<_chat_ListRoomsRequest, _chat_ListRoomsRequest__Output>
    MarkRead: MessageTypeDefinition<_chat_MarkRead, _chat_MarkRead__Output>
    Member: MessageTypeDefinition<_chat_Member, _chat_Member__Output>
    MemberList: MessageTypeDefinition<_chat_MemberList, _chat_MemberList__Output>
    MessageAction: EnumTypeDefinition
    MessageType: EnumTypeDefinition
    Moderate: MessageTypeDefinition<_chat_Moderate, _chat_Moderate__Output>
    NoticeKind: EnumTypeDefinition
    Post: MessageTypeDefinition<_chat_Post, _chat_Post__Output>
    PresenceChange: MessageTypeDefinition<_chat_PresenceChange, _chat_PresenceChange__Output>
    PresenceState: EnumTypeDefinition
    React: MessageTypeDefinition<_chat_React, _chat_React__Output>
    Reaction: MessageTypeDefinition<_chat_Reaction, _chat_Reaction__Output>
    ReadMarker: MessageTypeDefinition<_chat_ReadMarker, _chat_ReadMarker__Output>
    RoomCursor: MessageTypeDefinition<_chat_RoomCursor, _chat_RoomCursor__Output>
    RoomInfo: MessageTypeDefinition<_chat_RoomInfo, _chat_RoomInfo__Output>
    RoomLeft: MessageTypeDefinition<_chat_RoomLeft, _chat_RoomLeft__Output>
    RoomList: MessageTypeDefinition<_chat_RoomList, _chat_RoomList__Output>
    RoomState: MessageTypeDefinition<_chat_RoomState, _chat_RoomState__Output>
    SearchRequest: MessageTypeDefinition<_chat_SearchRequest, _chat_SearchRequest__Output>
    SearchResults: MessageTypeDefinition<_chat_SearchResults, _chat_SearchResults__Output>
    ServerFrame: MessageTypeDefinition<_chat_ServerFrame, _chat_ServerFrame__Output>
    ServerInfo: MessageTypeDefinition<_chat_ServerInfo, _chat_ServerInfo__Output>
    ServerInfoRequest: MessageTypeDefinition<_chat_ServerInfoRequest, _chat_ServerInfoRequest__Output>
    SessionError: MessageTypeDefinition<_chat_SessionError, _chat_SessionError__Output>
    SessionEvent: MessageTypeDefinition<_chat_SessionEvent, _chat_SessionEvent__Output>
    SetAway: MessageTypeDefinition<_chat_SetAway, _chat_SetAway__Output>
    Typing: MessageTypeDefinition<_chat_Typing, _chat_Typing__Output>
    TypingState: MessageTypeDefinition<_chat_TypingState, _chat_TypingState__Output>
    Welcome: MessageTypeDefinition<_chat_Welcome, _chat_Welcome__Output>
  }
}

