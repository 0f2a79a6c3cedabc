// Original file: protos/chat.proto


export interface Typing {
  'room_id'?: (string);
  'typing'?: (boolean);
}

export interface Typing__Output {
  'room_id': (string);
  'typing': (boolean);
}
