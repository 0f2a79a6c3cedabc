// Original file: protos/chat.proto

export const NoticeKind = {
  NOTICE_NONE: 'NOTICE_NONE',
  NOTICE_HISTORY_START: 'NOTICE_HISTORY_START',
  NOTICE_HISTORY_END: 'NOTICE_HISTORY_END',
  NOTICE_ERROR: 'NOTICE_ERROR',
  NOTICE_SHUTDOWN: 'NOTICE_SHUTDOWN',
  NOTICE_INFO: 'NOTICE_INFO',
  NOTICE_CAUGHT_UP: 'NOTICE_CAUGHT_UP',
  NOTICE_NOT_SENT: 'NOTICE_NOT_SENT',
} as const;

export type NoticeKind =
  | 'NOTICE_NONE'
  | 0
  | 'NOTICE_HISTORY_START'
  | 1
  | 'NOTICE_HISTORY_END'
  | 2
  | 'NOTICE_ERROR'
  | 3
  | 'NOTICE_SHUTDOWN'
  | 4
  | 'NOTICE_INFO'
  | 5
  | 'NOTICE_CAUGHT_UP'
  | 6
  | 'NOTICE_NOT_SENT'
  | 7

export type NoticeKind__Output = typeof NoticeKind[keyof typeof NoticeKind]
