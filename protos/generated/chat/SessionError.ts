// Original file: protos/chat.proto


export interface SessionError {
  'code'?: (number);
  'details'?: (string);
  'request_id'?: (number);
  'room_id'?: (string);
}

export interface SessionError__Output {
  'code': (number);
  'details': (string);
  'request_id': (number);
  'room_id': (string);
}
