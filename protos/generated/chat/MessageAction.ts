// Original file: protos/chat.proto

export const MessageAction = {
  ACTION_NONE: 'ACTION_NONE',
  EDIT: 'EDIT',
  DELETE: 'DELETE',
  REACT: 'REACT',
  UNREACT: 'UNREACT',
  TOPIC: 'TOPIC',
  KICK: 'KICK',
  BAN: 'BAN',
  UNBAN: 'UNBAN',
  MUTE: 'MUTE',
  UNMUTE: 'UNMUTE',
  OP: 'OP',
  DEOP: 'DEOP',
  INVITE: 'INVITE',
  PRIVATE: 'PRIVATE',
} as const;

export type MessageAction =
  | 'ACTION_NONE'
  | 0
  | 'EDIT'
  | 1
  | 'DELETE'
  | 2
  | 'REACT'
  | 3
  | 'UNREACT'
  | 4
  | 'TOPIC'
  | 5
  | 'KICK'
  | 6
  | 'BAN'
  | 7
  | 'UNBAN'
  | 8
  | 'MUTE'
  | 9
  | 'UNMUTE'
  | 10
  | 'OP'
  | 11
  | 'DEOP'
  | 12
  | 'INVITE'
  | 13
  | 'PRIVATE'
  | 14

export type MessageAction__Output = typeof MessageAction[keyof typeof MessageAction]
