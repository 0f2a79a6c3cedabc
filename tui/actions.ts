// Carries out commands from the key map and submitted lines: the only code
// that touches both the store and the gRPC client.
import type { ChatClient } from './client.js';
import { complete, parseLine, type Command } from './keys.js';
import { createSearchController, type SearchController } from './search-actions.js';
import type { ChatStore } from './store.js';

export interface Controller {
  run(cmd: Command, pageRows: number): void;
  submit(): void;
  quit(): void;
  /** Issue 15: search, for the panes that page a result's context. */
  readonly search: SearchController;
}

export function createController(store: ChatStore, client: ChatClient, quit: () => void): Controller {
  const st = () => store.getState();
  const local = (text: string) => st().localLine(st().current, text);
  const search = createSearchController(store, client);

  const submit = () => {
    const line = st().submitInput();
    if (!line.trim()) return;
    const parsed = parseLine(line);
    const room = st().current;
    switch (parsed.kind) {
      case 'text':
        st().toBottom();
        return client.send(room, parsed.text);
      case 'me':
        st().toBottom();
        return client.send(room, `/me ${parsed.action}`);
      case 'join': {
        const id = parsed.room.replace(/^#/, '');
        client.join(id);
        return st().switchRoom({ roomId: id });
      }
      case 'leave':
        if (st().order.length <= 1) return local('This is your only room; /quit to leave chat.');
        return client.leave(room);
      case 'rooms':
        client.listRooms().then(
          (rooms) => local(`Rooms: ${rooms.map((r) => `#${r.roomId} (${r.memberCount})`).join(', ') || 'none'}`),
          (e: Error) => local(`Could not list rooms: ${e.message}`),
        );
        return;
      case 'who':
        client.listMembers(room).then(
          (names) => local(`In #${room}: ${names.join(', ') || 'nobody'}`),
          (e: Error) => local(`Could not list members: ${e.message}`),
        );
        return;
      case 'search':
        return search.start(parsed.query);
      case 'help':
        return st().toggleHelp(true);
      case 'quit':
        return quit();
      case 'error':
        return local(parsed.message);
    }
  };

  return {
    submit,
    quit,
    search,
    run(cmd, pageRows) {
      switch (cmd.kind) {
        case 'send':
          return submit();
        case 'edit':
          for (const finished of cmd.submit ?? []) {
            st().setInput(finished);
            submit();
          }
          return st().setInput(cmd.input);
        case 'switch':
          return st().switchRoom({ delta: cmd.delta });
        case 'jump':
          return st().switchRoom({ index: cmd.index });
        case 'scroll':
          return st().scroll(cmd.pages * Math.max(1, pageRows - 1));
        case 'bottom':
          return st().toBottom();
        case 'recall':
          return st().recallInput(cmd.direction);
        case 'complete': {
          const room = st().rooms[st().current];
          // Who is here first, then anyone who spoke in what is loaded.
          const spoke = room?.lines.map((l) => l.username).filter((n) => n && n !== 'System') ?? [];
          const names = [...new Set([...(room?.members ?? []), ...spoke])];
          return st().setInput(complete(st().input, names));
        }
        case 'help':
          return st().toggleHelp();
        case 'closeHelp':
          return st().toggleHelp(false);
        case 'quit':
          return quit();
        case 'search':
          return search.run(cmd.op, pageRows);
        case 'none':
          return;
      }
    },
  };
}
