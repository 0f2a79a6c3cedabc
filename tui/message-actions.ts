// Carries out issue 16 for the controller (actions.ts): selection mode's keys
// (message-keys.ts), the commands about messages (/edit, /delete, /react,
// /reactions) and rooms (/topic, /op, /kick, ...), and what Enter does with
// the input while it is a reply, an edit or a reaction. Touches the store and
// the client only, like actions.ts.
import { isMessage, isOwn, lastMessage, reactionNames } from './amend.js';
import type { ChatClient } from './client.js';
import type { Line, ModerationAct } from './domain.js';
import type { Slash } from './slash.js';
import type { MessageOp } from './message-keys.js';
import { roomLabel } from './rooms.js';
import type { SearchController } from './search-actions.js';
import type { ChatStore } from './store.js';

export type MessageClient = Pick<ChatClient, 'send' | 'edit' | 'remove' | 'react' | 'moderate'>;

export interface MessageController {
  run(op: MessageOp): void;
  /** A submitted line while composing a reply, an edit or a reaction: true when it was taken. */
  submitComposed(line: string, slash: Slash): boolean;
  /** Issue 16's slash commands (edit, delete, react, reactions, topic, moderate). */
  command(slash: Slash): void;
}

const OFFLINE = 'Not connected; try again once online.';

export function createMessageController(
  store: ChatStore,
  withClient: (fn: (c: MessageClient) => void) => void,
  search: Pick<SearchController, 'showMessage'>,
): MessageController {
  const st = () => store.getState();
  const say = (roomId: string, text: string) => st().localLine(roomId, text);
  /** Sends through the client; says so in the room when the session is down. */
  const act = (roomId: string, fn: (c: MessageClient) => boolean) => withClient((c) => (fn(c) ? undefined : say(roomId, OFFLINE)));
  const selected = (): Line | undefined => {
    const sel = st().selection;
    return sel ? st().rooms[sel.roomId]?.lines.find((l) => l.seq === sel.seq && isMessage(l)) : undefined;
  };
  const mayDelete = (roomId: string, line: Line) => isOwn(line, st().username) || Boolean(st().rooms[roomId]?.operator);

  const run = (op: MessageOp) => {
    const sel = st().selection;
    if (op.type === 'select') {
      st().cancelCompose();
      if (!st().startSelection()) say(st().current, 'No messages here to select yet.');
      return;
    }
    if (op.type === 'cancel') return st().cancelCompose();
    if (op.type === 'ignore') return;
    if (op.type === 'leave' || !sel) return st().endSelection();
    const line = selected();
    const { roomId } = sel;
    if (op.type === 'move') return st().moveSelection(op.delta);
    if (!line) return st().endSelection();
    switch (op.type) {
      case 'reply':
        if (line.deleted) return say(roomId, 'That message was deleted; there is nothing to reply to.');
        st().endSelection();
        return st().startCompose('reply', roomId, line.seq);
      case 'edit':
        if (!isOwn(line, st().username)) return say(roomId, 'You can only edit your own messages.');
        if (line.deleted) return say(roomId, 'That message was deleted.');
        st().endSelection();
        return st().startCompose('edit', roomId, line.seq);
      case 'delete':
        if (line.deleted) return say(roomId, 'That message is already deleted.');
        if (!mayDelete(roomId, line)) return say(roomId, `Only ${line.username} or an operator of ${roomLabel(st().rooms[roomId], roomId)} can delete that message.`);
        return st().confirmDelete(true);
      case 'confirm':
        st().confirmDelete(false);
        if (op.yes) act(roomId, (c) => c.remove(roomId, line.seq));
        return;
      case 'react':
        if (line.deleted) return say(roomId, 'That message was deleted.');
        st().endSelection();
        return st().startCompose('react', roomId, line.seq);
      case 'who':
        return say(roomId, line.reactions?.length ? `Reactions to ${line.username}'s message: ${reactionNames(line.reactions)}` : `No reactions to ${line.username}'s message.`);
      case 'jump': {
        const original = line.replyTo;
        if (!original) return say(roomId, 'Enter jumps to the message a reply answers; this one is not a reply.');
        // Loaded: the highlight goes there. Older than what is loaded: shown in its context, paged in from history.
        if (st().selectSeq(original)) return;
        st().endSelection();
        return search.showMessage(roomId, original);
      }
    }
  };

  const submitComposed = (text: string, slash: Slash): boolean => {
    const compose = st().compose;
    const roomId = st().current;
    if (!compose || compose.roomId !== roomId) return false;
    const { seq } = compose;
    switch (compose.kind) {
      case 'reply':
        // Commands typed meanwhile do what they do; the reply waits for its text.
        if (slash.kind !== 'text' && slash.kind !== 'me') return false;
        st().cancelCompose();
        st().toBottom();
        withClient((c) => c.send(roomId, slash.kind === 'me' ? `/me ${slash.action}` : slash.text, seq));
        return true;
      case 'edit': {
        st().cancelCompose();
        const old = st().rooms[roomId]?.lines.find((l) => l.seq === seq);
        if (!text.trim()) say(roomId, 'Nothing sent: an edit needs text (to remove the message, Ctrl+S then d, or /delete).');
        else if (old && old.text === text) say(roomId, 'Unchanged.');
        else act(roomId, (c) => c.edit(roomId, seq, text));
        return true;
      }
      case 'react':
        st().cancelCompose();
        if (text.trim()) act(roomId, (c) => c.react(roomId, seq, text.trim()));
        return true;
    }
  };

  const command = (slash: Slash) => {
    const roomId = st().current;
    if (!roomId) return;
    const room = st().rooms[roomId];
    const lines = room?.lines ?? [];
    switch (slash.kind) {
      case 'edit': {
        const mine = lastMessage(lines, st().username);
        if (!mine) return say(roomId, 'No message of yours here to edit.');
        return act(roomId, (c) => c.edit(roomId, mine.seq, slash.text));
      }
      case 'delete': {
        const mine = lastMessage(lines, st().username);
        if (!mine) return say(roomId, 'No message of yours here to delete.');
        return act(roomId, (c) => c.remove(roomId, mine.seq));
      }
      case 'react': {
        const last = lastMessage(lines);
        if (!last) return say(roomId, 'No message here to react to.');
        return act(roomId, (c) => c.react(roomId, last.seq, slash.emoji));
      }
      case 'reactions': {
        const last = [...lines].reverse().find((l) => isMessage(l) && l.reactions?.length);
        return say(roomId, last?.reactions ? `Reactions to ${last.username}'s message: ${reactionNames(last.reactions)}` : 'No reactions here yet.');
      }
      case 'topic':
        if (slash.text === null) {
          const label = roomLabel(room, roomId);
          return say(roomId, room?.topic ? `Topic of ${label}: ${room.topic}` : `${label} has no topic; /topic <text> sets one.`);
        }
        return moderate(roomId, { action: 'topic', subject: '', detail: slash.text, minutes: 0 });
      case 'moderate':
        return moderate(roomId, slash.act);
      default:
        return;
    }
  };

  const moderate = (roomId: string, a: ModerationAct) => act(roomId, (c) => c.moderate(roomId, a));

  return { run, submitComposed, command };
}
