// Original file: protos/chat.proto


export interface TypingState {
  'room_id'?: (string);
  'username'?: (string);
  'typing'?: (boolean);
}

export interface TypingState__Output {
  'room_id': (string);
  'username': (string);
  'typing': (boolean);
}
