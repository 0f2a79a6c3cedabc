// Original file: protos/chat.proto


export interface Reaction {
  'emoji'?: (string);
  'count'?: (number);
  'users'?: (string)[];
}

export interface Reaction__Output {
  'emoji': (string);
  'count': (number);
  'users': (string)[];
}
