// Original file: protos/chat.proto


export interface Member {
  'user_id'?: (string);
  'username'?: (string);
}

export interface Member__Output {
  'user_id': (string);
  'username': (string);
}
