// Original file: protos/chat.proto


export interface Post {
  'room_id'?: (string);
  'text'?: (string);
  'client_msg_id'?: (string);
}

export interface Post__Output {
  'room_id': (string);
  'text': (string);
  'client_msg_id': (string);
}
