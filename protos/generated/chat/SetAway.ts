// Original file: protos/chat.proto


export interface SetAway {
  'away'?: (boolean);
  'reason'?: (string);
}

export interface SetAway__Output {
  'away': (boolean);
  'reason': (string);
}
