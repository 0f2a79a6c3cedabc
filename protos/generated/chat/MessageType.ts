// Original file: protos/chat.proto

export const MessageType = {
  TEXT: 'TEXT',
  JOIN: 'JOIN',
  LEAVE: 'LEAVE',
  SYSTEM: 'SYSTEM',
} as const;

export type MessageType =
  | 'TEXT'
  | 0
  | 'JOIN'
  | 1
  | 'LEAVE'
  | 2
  | 'SYSTEM'
  | 3

export type MessageType__Output = typeof MessageType[keyof typeof MessageType]
