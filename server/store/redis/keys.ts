// Redis key names. The {room} hash tag keeps one room's keys on one cluster slot.
export const ROOMS_KEY = 'chat:rooms';
export const PRESENCE_ROOMS_KEY = 'chat:presence-rooms';
export const logKey = (room: string): string => `chat:{${room}}:log`;
export const seqKey = (room: string): string => `chat:{${room}}:seq`;
/** Issue 16: target seq -> the room's EVENTs aimed at it (store.ts amendments). */
export const targetsKey = (room: string): string => `chat:{${room}}:targets`;
export const membersKey = (room: string): string => `chat:{${room}}:members`;
export const channel = (room: string): string => `chat:{${room}}:live`;
export const roomOfChannel = (name: string): string | null => /^chat:\{(.+)\}:live$/.exec(name)?.[1] ?? null;
/** Who holds a (lower-cased) username across servers. */
export const nameKey = (name: string): string => `chat:name:{${name}}`;

// Issue 13: users' state (redis/users.ts), by lower-cased username.
/** A user's rooms: a sorted set, score = position in the user's order. */
export const userRoomsKey = (user: string): string => `chat:user:{${user}}:rooms`;
/** A user's read markers: a hash room -> last seq read. */
export const userReadKey = (user: string): string => `chat:user:{${user}}:read`;
/** Who has the room in their list: a set of lower-cased usernames. */
export const roomUsersKey = (room: string): string => `chat:{${room}}:users`;
/** lower-cased username -> the name as last spelt. */
export const USER_NAMES_KEY = 'chat:user-names';
/** lower-cased username -> away reason ('' for none); absent: not away. */
export const USER_AWAY_KEY = 'chat:user-away';
/** The cross-server bus (redis/bus.ts): user events, typing, presence. roomOfChannel does not match it. */
export const BUS_CHANNEL = 'chat:bus';

// Issue 16: the posting rate limit across servers (redis/rate.ts).
/** A user's token bucket (a hash: tokens, at); it expires once it would be full again. */
export const rateKey = (userId: string): string => `chat:rate:{${userId}}`;
