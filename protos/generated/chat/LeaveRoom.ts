// Original file: protos/chat.proto


export interface LeaveRoom {
  'room_id'?: (string);
}

export interface LeaveRoom__Output {
  'room_id': (string);
}
