// Original file: protos/chat.proto


export interface ServerInfo {
  'version'?: (string);
  'rate_per_second'?: (number | string);
  'rate_burst'?: (number);
  'max_message_bytes'?: (number);
  'history'?: (number);
}

export interface ServerInfo__Output {
  'version': (string);
  'rate_per_second': (number);
  'rate_burst': (number);
  'max_message_bytes': (number);
  'history': (number);
}
