// Redis key names. The {room} hash tag keeps one room's keys on one cluster slot.
export const ROOMS_KEY = 'chat:rooms';
export const PRESENCE_ROOMS_KEY = 'chat:presence-rooms';
export const logKey = (room: string): string => `chat:{${room}}:log`;
export const seqKey = (room: string): string => `chat:{${room}}:seq`;
export const membersKey = (room: string): string => `chat:{${room}}:members`;
export const channel = (room: string): string => `chat:{${room}}:live`;
export const roomOfChannel = (name: string): string | null => /^chat:\{(.+)\}:live$/.exec(name)?.[1] ?? null;
/** Who holds a (lower-cased) username across servers. */
export const nameKey = (name: string): string => `chat:name:{${name}}`;
