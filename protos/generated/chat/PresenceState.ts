// Original file: protos/chat.proto

export const PresenceState = {
  ONLINE: 'ONLINE',
  AWAY: 'AWAY',
  OFFLINE: 'OFFLINE',
} as const;

export type PresenceState =
  | 'ONLINE'
  | 0
  | 'AWAY'
  | 1
  | 'OFFLINE'
  | 2

export type PresenceState__Output = typeof PresenceState[keyof typeof PresenceState]
