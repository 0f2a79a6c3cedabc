// Original file: protos/chat.proto


export interface RoomLeft {
  'room_id'?: (string);
  'reason'?: (string);
}

export interface RoomLeft__Output {
  'room_id': (string);
  'reason': (string);
}
