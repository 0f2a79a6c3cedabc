// Who operates a room (issue 16). For now: the server config's operator list
// (`operators`, names compared case-insensitively), operators of every room;
// empty unless the config names some. The moderation work (room policy: a
// room's own operators, the first joiner) joins this with its own answer; the
// name and signature are the ones both sides call.

/** Where the server-wide operator list comes from (the session context, filled from the config). */
export interface OperatorSource {
  operators?: readonly string[];
}

/** Whether `username` may act as an operator of `room` (delete anyone's message, moderate). */
export async function isOperator(source: OperatorSource, _room: string, username: string): Promise<boolean> {
  const name = username.toLowerCase();
  return (source.operators ?? []).some((op) => op.toLowerCase() === name);
}
