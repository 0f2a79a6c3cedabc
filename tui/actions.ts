// Carries out commands from the key map, the mouse and submitted lines: the
// only code that touches both the store and the gRPC client.
import { directRoomId } from '../protos/rules.js';
import type { ChatClient } from './client.js';
import { presenceText } from './format.js';
import type { Command } from './keys.js';
import { complete, parseLine } from './slash.js';
import { createMessageController } from './message-actions.js';
import { roomLabel } from './rooms.js';
import { createSearchController, type SearchController } from './search-actions.js';
import type { ChatStore } from './store.js';
import { TypingSender } from './typing.js';

export interface Controller {
  run(cmd: Command, pageRows: number): void;
  submit(): void;
  quit(): void;
  /** Issue 15: search, for the panes that page a result's context. */
  readonly search: SearchController;
}

/** ListRooms answers this old are asked again when Tab wants room names. */
const ROOMS_FRESH_MS = 30_000;

/**
 * `client` may still be loading (main.tsx draws the first frame before it
 * loads gRPC): calls wait for it, in the order they were made.
 */
export function createController(store: ChatStore, client: ChatClient | Promise<ChatClient>, quit: () => void): Controller {
  const st = () => store.getState();
  const local = (text: string) => st().localLine(st().current, text);
  let ready: ChatClient | null = client instanceof Promise ? null : client;
  let waiting: Promise<unknown> = client instanceof Promise ? client.then((c) => (ready = c)) : Promise.resolve();
  const withClient = (fn: (c: ChatClient) => void) => {
    if (ready) return fn(ready);
    waiting = waiting.then(() => fn(ready!));
  };

  const listRooms = (then: (names: string[]) => void, failed: (e: Error) => void) =>
    withClient((c) =>
      c.listRooms().then((rooms) => {
        st().setServerRooms(rooms.map((r) => r.roomId));
        // Issue 16: invite-only rooms say so, and each room its topic.
        then(rooms.map((r) => `#${r.roomId} (${r.memberCount}${r.private ? ', invite-only' : ''})${r.topic ? ` ${JSON.stringify(r.topic)}` : ''}`));
      }, failed),
    );
  // Search waits for the client like everything else (it is created after the first frame).
  const clientReady = Promise.resolve(client);
  const search = createSearchController(store, {
    search: (...args) => clientReady.then((c) => c.search(...args)),
    history: (...args) => clientReady.then((c) => c.history(...args)),
  });

  // Issue 13: typing notices follow the input; a direct room's peer presence is asked for as it comes on screen.
  const typing = new TypingSender((roomId, on) => withClient((c) => c.typing(roomId, on)));
  const peerPresence = (roomId: string) => {
    if (!st().rooms[roomId]?.direct) return;
    withClient((c) => void c.members(roomId, true).catch(() => undefined));
  };
  store.subscribe((s, prev) => {
    // A command being typed is not a message being written: nobody is told.
    const message = (text: string) => (text.startsWith('/') && !text.startsWith('//') ? '' : text);
    if (s.editor.text !== prev.editor.text || s.current !== prev.current) typing.changed(s.current, message(s.editor.text));
    if (s.current !== prev.current) peerPresence(s.current);
  });
  // Issue 16: selection mode, replies, edits, reactions, topics and moderation.
  const messages = createMessageController(store, withClient, search);

  const openDirect = (to: string): string => {
    const id = directRoomId(st().username, to);
    st().addRoom(id);
    // Named as typed until the server says how the peer spells it.
    const known = st().rooms[id]?.peer ?? '';
    if (known === known.toLowerCase()) store.setState((s) => ({ rooms: { ...s.rooms, [id]: { ...s.rooms[id]!, direct: true, peer: to } } }));
    withClient((c) => c.join(id));
    st().switchRoom({ roomId: id });
    return id;
  };

  const submit = () => {
    const line = st().submitInput();
    if (!line.trim()) return;
    const parsed = parseLine(line);
    const room = st().current;
    const noRoom = () => local('Not in a room yet; /join <room> or /msg <name> <text>.');
    if (messages.submitComposed(line, parsed)) return typing.stop();
    switch (parsed.kind) {
      case 'text':
        if (!room) return noRoom();
        st().toBottom();
        typing.stop();
        return withClient((c) => c.send(room, parsed.text));
      case 'me':
        if (!room) return noRoom();
        st().toBottom();
        typing.stop();
        return withClient((c) => c.send(room, `/me ${parsed.action}`));
      case 'join': {
        const id = parsed.room.replace(/^#/, '');
        st().addRoom(id);
        withClient((c) => c.join(id));
        return st().switchRoom({ roomId: id });
      }
      case 'msg': {
        if (parsed.to.toLowerCase() === st().username.toLowerCase()) return local('That is you; /msg someone else.');
        const id = openDirect(parsed.to);
        if (!parsed.text) return;
        st().toBottom();
        typing.stop();
        return withClient((c) => c.send(id, parsed.text));
      }
      case 'leave':
        if (st().order.length <= 1) return local('This is your only room; /quit to leave chat.');
        return withClient((c) => {
          if (!c.leave(room)) local('Not connected; /leave again once online.');
        });
      case 'away':
        return withClient((c) =>
          local(c.away(true, parsed.reason) ? `You are marked as away${parsed.reason ? `: ${parsed.reason}` : ''}; /back when you return.` : 'Not connected; try /away again once online.'),
        );
      case 'back':
        return withClient((c) => local(c.away(false, '') ? 'You are back.' : 'Not connected; try /back again once online.'));
      case 'rooms':
        return listRooms(
          (rooms) => local(`Rooms: ${rooms.join(', ') || 'none'}`),
          (e) => local(`Could not list rooms: ${e.message}`),
        );
      case 'who': {
        if (!room) return noRoom();
        const label = roomLabel(st().rooms[room], room);
        return withClient((c) =>
          c.members(room, true).then(
            (members) => local(`In ${label}: ${members.map(presenceText).join(', ') || 'nobody'}`),
            (e: Error) => local(`Could not list members: ${e.message}`),
          ),
        );
      }
      case 'search':
        return search.start(parsed.query);
      case 'edit':
      case 'delete':
      case 'react':
      case 'reactions':
      case 'topic':
      case 'moderate':
        if (!room) return noRoom();
        return messages.command(parsed);
      case 'help':
        return st().toggleHelp(true);
      case 'quit':
        return quit();
      case 'error':
        return local(parsed.message);
    }
  };

  /** Tab: the word before the cursor, completed from the room's people, the rooms or the commands. */
  const completeInput = (askServer: boolean) => {
    const { editor, rooms, current, order, serverRooms, presence, username } = st();
    const room = rooms[current];
    // Who is here first, then anyone who spoke in what is loaded.
    const spoke = room?.lines.map((l) => l.username).filter((n) => n && n !== 'System') ?? [];
    const names = [...new Set([...(room?.members ?? []), ...spoke])];
    const roomNames = [...new Set([...order.filter((id) => !rooms[id]?.direct), ...serverRooms.names])];
    // /msg and /query: everyone seen anywhere (members with presence, direct peers), not me.
    const seen = [...names, ...Object.values(rooms).flatMap((r) => (r.direct ? [r.peer] : r.members)), ...Object.values(presence).map((m) => m.username)];
    const people = [...new Set(seen.filter((n) => n && n.toLowerCase() !== username.toLowerCase()))];
    const before = editor.text.slice(0, editor.cursor);
    const done = complete(before, { names, rooms: roomNames, people });
    if (done !== before) return st().setInput(done + editor.text.slice(editor.cursor), done.length);
    // A room name nobody here has joined: ask the server once in a while, and complete when it answers.
    const wantsRoom = /^\s*\/join\s+\S*$/i.test(before) || /(^|\s)#\S*$/.test(before);
    if (askServer && wantsRoom && Date.now() - serverRooms.at > ROOMS_FRESH_MS) {
      listRooms(
        () => {
          if (st().editor === editor) completeInput(false);
        },
        () => undefined,
      );
    }
  };

  const run = (cmd: Command, pageRows: number): void => {
    switch (cmd.kind) {
      case 'send':
        return submit();
      case 'editor':
        return st().edit(cmd.op);
      case 'batch':
        for (const c of cmd.commands) run(c, pageRows);
        return;
      case 'switch':
        return st().switchRoom({ delta: cmd.delta });
      case 'jump':
        return st().switchRoom({ index: cmd.index });
      case 'scroll':
        return st().scroll(cmd.pages * Math.max(1, pageRows - 1));
      case 'scrollRows':
        return st().scroll(cmd.rows);
      case 'bottom':
        return st().toBottom();
      case 'recall':
        return st().recallInput(cmd.direction);
      case 'complete':
        return completeInput(true);
      case 'help':
        return st().toggleHelp();
      case 'closeHelp':
        return st().toggleHelp(false);
      case 'focus':
        return st().setFocused(cmd.focused);
      case 'search':
        return search.run(cmd.op, pageRows);
      case 'message':
        return messages.run(cmd.op);
      case 'quit':
        return quit();
      case 'none':
        return;
    }
  };

  return { submit, quit, run, search };
}
