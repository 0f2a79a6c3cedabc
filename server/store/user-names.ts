// Issue 13: how the persistent UserState stores (sqlite-users.ts,
// redis/users.ts) key and sort users, the same way memory-users.ts does:
// keyed by the trimmed, lower-cased name, answered as last spelt.

/** The key a user is stored under: names are case-insensitive. */
export const userKey = (user: string): string => user.trim().toLowerCase();

/** The name as the user spelt it this time (kept as the spelling to answer). */
export const spelling = (user: string): string => user.trim();

/**
 * A name given only as its key (lower-cased: the peer of a direct room, known
 * from the room id) says nothing about how its user spells it: it never
 * replaces a spelling already kept ("Bob" stays "Bob").
 */
export const onlyKey = (user: string): boolean => spelling(user) === userKey(user);

/** Case-insensitive order for member lists (as MemoryUsers.roomMembers sorts). */
export const byName = (a: string, b: string): number => a.localeCompare(b, undefined, { sensitivity: 'base' });
