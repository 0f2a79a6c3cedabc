import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ChatMessage as _chat_ChatMessage, ChatMessage__Output as _chat_ChatMessage__Output } from './chat/ChatMessage.js';
import type { ChatServiceClient as _chat_ChatServiceClient, ChatServiceDefinition as _chat_ChatServiceDefinition } from './chat/ChatService.js';
import type { HistoryPage as _chat_HistoryPage, HistoryPage__Output as _chat_HistoryPage__Output } from './chat/HistoryPage.js';
import type { HistoryRequest as _chat_HistoryRequest, HistoryRequest__Output as _chat_HistoryRequest__Output } from './chat/HistoryRequest.js';
import type { ListMembersRequest as _chat_ListMembersRequest, ListMembersRequest__Output as _chat_ListMembersRequest__Output } from './chat/ListMembersRequest.js';
import type { ListRoomsRequest as _chat_ListRoomsRequest, ListRoomsRequest__Output as _chat_ListRoomsRequest__Output } from './chat/ListRoomsRequest.js';
import type { Member as _chat_Member, Member__Output as _chat_Member__Output } from './chat/Member.js';
import type { MemberList as _chat_MemberList, MemberList__Output as _chat_MemberList__Output } from './chat/MemberList.js';
import type { RoomInfo as _chat_RoomInfo, RoomInfo__Output as _chat_RoomInfo__Output } from './chat/RoomInfo.js';
import type { RoomList as _chat_RoomList, RoomList__Output as _chat_RoomList__Output } from './chat/RoomList.js';
import type { SearchRequest as _chat_SearchRequest, SearchRequest__Output as _chat_SearchRequest__Output } from './chat/SearchRequest.js';
import type { SearchResults as _chat_SearchResults, SearchResults__Output as _chat_SearchResults__Output } from './chat/SearchResults.js';
import type { ServerInfo as _chat_ServerInfo, ServerInfo__Output as _chat_ServerInfo__Output } from './chat/ServerInfo.js';
import type { ServerInfoRequest as _chat_ServerInfoRequest, ServerInfoRequest__Output as _chat_ServerInfoRequest__Output } from './chat/ServerInfoRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  chat: {
    ChatMessage: MessageTypeDefinition<_chat_ChatMessage, _chat_ChatMessage__Output>
    ChatService: SubtypeConstructor<typeof grpc.Client, _chat_ChatServiceClient> & { service: _chat_ChatServiceDefinition }
    HistoryPage: MessageTypeDefinition<_chat_HistoryPage, _chat_HistoryPage__Output>
    HistoryRequest: MessageTypeDefinition<_chat_HistoryRequest, _chat_HistoryRequest__Output>
    ListMembersRequest: MessageTypeDefinition<_chat_ListMembersRequest, _chat_ListMembersRequest__Output>
    ListRoomsRequest: MessageTypeDefinition<_chat_ListRoomsRequest, _chat_ListRoomsRequest__Output>
    Member: MessageTypeDefinition<_chat_Member, _chat_Member__Output>
    MemberList: MessageTypeDefinition<_chat_MemberList, _chat_MemberList__Output>
    MessageType: EnumTypeDefinition
    NoticeKind: EnumTypeDefinition
    RoomInfo: MessageTypeDefinition<_chat_RoomInfo, _chat_RoomInfo__Output>
    RoomList: MessageTypeDefinition<_chat_RoomList, _chat_RoomList__Output>
    SearchRequest: MessageTypeDefinition<_chat_SearchRequest, _chat_SearchRequest__Output>
    SearchResults: MessageTypeDefinition<_chat_SearchResults, _chat_SearchResults__Output>
    ServerInfo: MessageTypeDefinition<_chat_ServerInfo, _chat_ServerInfo__Output>
    ServerInfoRequest: MessageTypeDefinition<_chat_ServerInfoRequest, _chat_ServerInfoRequest__Output>
  }
}

