// Original file: protos/chat.proto


export interface ListMembersRequest {
  'room_id'?: (string);
  'include_offline'?: (boolean);
}

export interface ListMembersRequest__Output {
  'room_id': (string);
  'include_offline': (boolean);
}
