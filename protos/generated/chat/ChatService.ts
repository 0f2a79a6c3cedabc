// Original file: protos/chat.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ChatMessage as _chat_ChatMessage, ChatMessage__Output as _chat_ChatMessage__Output } from '../chat/ChatMessage.js';
import type { ClientFrame as _chat_ClientFrame, ClientFrame__Output as _chat_ClientFrame__Output } from '../chat/ClientFrame.js';
import type { HistoryPage as _chat_HistoryPage, HistoryPage__Output as _chat_HistoryPage__Output } from '../chat/HistoryPage.js';
import type { HistoryRequest as _chat_HistoryRequest, HistoryRequest__Output as _chat_HistoryRequest__Output } from '../chat/HistoryRequest.js';
import type { ListMembersRequest as _chat_ListMembersRequest, ListMembersRequest__Output as _chat_ListMembersRequest__Output } from '../chat/ListMembersRequest.js';
import type { ListRoomsRequest as _chat_ListRoomsRequest, ListRoomsRequest__Output as _chat_ListRoomsRequest__Output } from '../chat/ListRoomsRequest.js';
import type { MemberList as _chat_MemberList, MemberList__Output as _chat_MemberList__Output } from '../chat/MemberList.js';
import type { RoomList as _chat_RoomList, RoomList__Output as _chat_RoomList__Output } from '../chat/RoomList.js';
import type { SearchRequest as _chat_SearchRequest, SearchRequest__Output as _chat_SearchRequest__Output } from '../chat/SearchRequest.js';
import type { SearchResults as _chat_SearchResults, SearchResults__Output as _chat_SearchResults__Output } from '../chat/SearchResults.js';
import type { ServerFrame as _chat_ServerFrame, ServerFrame__Output as _chat_ServerFrame__Output } from '../chat/ServerFrame.js';
import type { ServerInfo as _chat_ServerInfo, ServerInfo__Output as _chat_ServerInfo__Output } from '../chat/ServerInfo.js';
import type { ServerInfoRequest as _chat_ServerInfoRequest, ServerInfoRequest__Output as _chat_ServerInfoRequest__Output } from '../chat/ServerInfoRequest.js';

export interface ChatServiceClient extends grpc.Client {
  GetHistory(argument: _chat_HistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_HistoryPage__Output>): grpc.ClientUnaryCall;
  GetHistory(argument: _chat_HistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chat_HistoryPage__Output>): grpc.ClientUnaryCall;
  GetHistory(argument: _chat_HistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_HistoryPage__Output>): grpc.ClientUnaryCall;
  GetHistory(argument: _chat_HistoryRequest, callback: grpc.requestCallback<_chat_HistoryPage__Output>): grpc.ClientUnaryCall;
  getHistory(argument: _chat_HistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_HistoryPage__Output>): grpc.ClientUnaryCall;
  getHistory(argument: _chat_HistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chat_HistoryPage__Output>): grpc.ClientUnaryCall;
  getHistory(argument: _chat_HistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_HistoryPage__Output>): grpc.ClientUnaryCall;
  getHistory(argument: _chat_HistoryRequest, callback: grpc.requestCallback<_chat_HistoryPage__Output>): grpc.ClientUnaryCall;
  
  GetServerInfo(argument: _chat_ServerInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_ServerInfo__Output>): grpc.ClientUnaryCall;
  GetServerInfo(argument: _chat_ServerInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chat_ServerInfo__Output>): grpc.ClientUnaryCall;
  GetServerInfo(argument: _chat_ServerInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_ServerInfo__Output>): grpc.ClientUnaryCall;
  GetServerInfo(argument: _chat_ServerInfoRequest, callback: grpc.requestCallback<_chat_ServerInfo__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _chat_ServerInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_ServerInfo__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _chat_ServerInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chat_ServerInfo__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _chat_ServerInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_ServerInfo__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _chat_ServerInfoRequest, callback: grpc.requestCallback<_chat_ServerInfo__Output>): grpc.ClientUnaryCall;
  
  JoinChat(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_chat_ChatMessage, _chat_ChatMessage__Output>;
  JoinChat(options?: grpc.CallOptions): grpc.ClientDuplexStream<_chat_ChatMessage, _chat_ChatMessage__Output>;
  joinChat(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_chat_ChatMessage, _chat_ChatMessage__Output>;
  joinChat(options?: grpc.CallOptions): grpc.ClientDuplexStream<_chat_ChatMessage, _chat_ChatMessage__Output>;
  
  ListMembers(argument: _chat_ListMembersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_MemberList__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _chat_ListMembersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chat_MemberList__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _chat_ListMembersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_MemberList__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _chat_ListMembersRequest, callback: grpc.requestCallback<_chat_MemberList__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _chat_ListMembersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_MemberList__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _chat_ListMembersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chat_MemberList__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _chat_ListMembersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_MemberList__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _chat_ListMembersRequest, callback: grpc.requestCallback<_chat_MemberList__Output>): grpc.ClientUnaryCall;
  
  ListRooms(argument: _chat_ListRoomsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_RoomList__Output>): grpc.ClientUnaryCall;
  ListRooms(argument: _chat_ListRoomsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chat_RoomList__Output>): grpc.ClientUnaryCall;
  ListRooms(argument: _chat_ListRoomsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_RoomList__Output>): grpc.ClientUnaryCall;
  ListRooms(argument: _chat_ListRoomsRequest, callback: grpc.requestCallback<_chat_RoomList__Output>): grpc.ClientUnaryCall;
  listRooms(argument: _chat_ListRoomsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_RoomList__Output>): grpc.ClientUnaryCall;
  listRooms(argument: _chat_ListRoomsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chat_RoomList__Output>): grpc.ClientUnaryCall;
  listRooms(argument: _chat_ListRoomsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_RoomList__Output>): grpc.ClientUnaryCall;
  listRooms(argument: _chat_ListRoomsRequest, callback: grpc.requestCallback<_chat_RoomList__Output>): grpc.ClientUnaryCall;
  
  SearchHistory(argument: _chat_SearchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_SearchResults__Output>): grpc.ClientUnaryCall;
  SearchHistory(argument: _chat_SearchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chat_SearchResults__Output>): grpc.ClientUnaryCall;
  SearchHistory(argument: _chat_SearchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_SearchResults__Output>): grpc.ClientUnaryCall;
  SearchHistory(argument: _chat_SearchRequest, callback: grpc.requestCallback<_chat_SearchResults__Output>): grpc.ClientUnaryCall;
  searchHistory(argument: _chat_SearchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_SearchResults__Output>): grpc.ClientUnaryCall;
  searchHistory(argument: _chat_SearchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_chat_SearchResults__Output>): grpc.ClientUnaryCall;
  searchHistory(argument: _chat_SearchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_chat_SearchResults__Output>): grpc.ClientUnaryCall;
  searchHistory(argument: _chat_SearchRequest, callback: grpc.requestCallback<_chat_SearchResults__Output>): grpc.ClientUnaryCall;
  
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_chat_ClientFrame, _chat_ServerFrame__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_chat_ClientFrame, _chat_ServerFrame__Output>;
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_chat_ClientFrame, _chat_ServerFrame__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_chat_ClientFrame, _chat_ServerFrame__Output>;
  
}

export interface ChatServiceHandlers extends grpc.UntypedServiceImplementation {
  GetHistory: grpc.handleUnaryCall<_chat_HistoryRequest__Output, _chat_HistoryPage>;
  
  GetServerInfo: grpc.handleUnaryCall<_chat_ServerInfoRequest__Output, _chat_ServerInfo>;
  
  JoinChat: grpc.handleBidiStreamingCall<_chat_ChatMessage__Output, _chat_ChatMessage>;
  
  ListMembers: grpc.handleUnaryCall<_chat_ListMembersRequest__Output, _chat_MemberList>;
  
  ListRooms: grpc.handleUnaryCall<_chat_ListRoomsRequest__Output, _chat_RoomList>;
  
  SearchHistory: grpc.handleUnaryCall<_chat_SearchRequest__Output, _chat_SearchResults>;
  
  Session: grpc.handleBidiStreamingCall<_chat_ClientFrame__Output, _chat_ServerFrame>;
  
}

export interface ChatServiceDefinition extends grpc.ServiceDefinition {
  GetHistory: MethodDefinition<_chat_HistoryRequest, _chat_HistoryPage, _chat_HistoryRequest__Output, _chat_HistoryPage__Output>
  GetServerInfo: MethodDefinition<_chat_ServerInfoRequest, _chat_ServerInfo, _chat_ServerInfoRequest__Output, _chat_ServerInfo__Output>
  JoinChat: MethodDefinition<_chat_ChatMessage, _chat_ChatMessage, _chat_ChatMessage__Output, _chat_ChatMessage__Output>
  ListMembers: MethodDefinition<_chat_ListMembersRequest, _chat_MemberList, _chat_ListMembersRequest__Output, _chat_MemberList__Output>
  ListRooms: MethodDefinition<_chat_ListRoomsRequest, _chat_RoomList, _chat_ListRoomsRequest__Output, _chat_RoomList__Output>
  SearchHistory: MethodDefinition<_chat_SearchRequest, _chat_SearchResults, _chat_SearchRequest__Output, _chat_SearchResults__Output>
  Session: MethodDefinition<_chat_ClientFrame, _chat_ServerFrame, _chat_ClientFrame__Output, _chat_ServerFrame__Output>
}
