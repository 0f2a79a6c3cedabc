// Who operates a room (issue 16): its own operators (the first joiner, and
// whoever an operator makes one) or the server's (config `operators`), as the
// room's policy says (room-policy.ts). message-ops.ts asks it before letting
// someone delete another's message.
import type { RoomPolicyService } from './room-policy.js';

/** Where a room's operators are known: the session context's policy service. */
export interface OperatorSource {
  policy: Pick<RoomPolicyService, 'isOperator'>;
}

/** Whether `username` may act as an operator of `room` (delete anyone's message, moderate). */
export function isOperator(source: OperatorSource, room: string, username: string): Promise<boolean> {
  return source.policy.isOperator(room, username);
}
