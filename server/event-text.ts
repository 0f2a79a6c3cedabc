// Issue 16: the sentence a stored room event carries in `message`, which is
// all a client that does not know actions (a seed client) shows. Pure.
import type { EventAction } from './store/types.js';

export interface EventWords {
  /** Who did it. */
  actor: string;
  action: EventAction;
  /** Whose message it was (EDIT, DELETE, REACT, UNREACT). */
  author?: string;
  subject?: string;
  detail?: string;
  minutes?: number;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** "a message" when actors act on their own, else "Alice's message". */
function whose(w: EventWords): string {
  return w.author === undefined || same(w.author, w.actor) ? 'a message' : `${w.author}'s message`;
}

export function eventSentence(w: EventWords): string {
  const { actor, subject = '', detail = '' } = w;
  const reason = detail ? ` (${detail})` : '';
  switch (w.action) {
    case 'EDIT':
      return `${actor} edited ${whose(w)}: ${detail}`;
    case 'DELETE':
      return `${actor} deleted ${whose(w)}`;
    case 'REACT':
      return `${actor} reacted ${detail} to ${w.author === undefined || !same(w.author, actor) ? whose(w) : 'their own message'}`;
    case 'UNREACT':
      return `${actor} took back ${detail} from ${w.author === undefined || !same(w.author, actor) ? whose(w) : 'their own message'}`;
    case 'TOPIC':
      return detail ? `${actor} set the topic: ${detail}` : `${actor} cleared the topic`;
    case 'KICK':
      return `${subject} was kicked by ${actor}${reason}`;
    case 'BAN':
      return `${subject} was banned by ${actor}${reason}`;
    case 'UNBAN':
      return `${subject} was unbanned by ${actor}`;
    case 'MUTE':
      return `${subject} was muted by ${actor}${w.minutes ? ` for ${w.minutes} minute${w.minutes === 1 ? '' : 's'}` : ''}${reason}`;
    case 'UNMUTE':
      return `${subject} was unmuted by ${actor}`;
    case 'OP':
      return `${actor} made ${subject} an operator`;
    case 'DEOP':
      return `${actor} took operator from ${subject}`;
    case 'INVITE':
      return `${actor} invited ${subject}`;
    case 'PRIVATE':
      return detail === 'off' ? `${actor} opened the room to everyone` : `${actor} made the room invite-only`;
  }
}
