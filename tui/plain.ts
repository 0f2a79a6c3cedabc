// Line mode for when stdin or stdout is not a terminal: the seed client's
// output ("[14:30:30] Bob: Hi Alice!", ">>> Bob joined the room"), one message
// per stdin line, for scripts, pipes and screen readers. Every line given is
// delivered, in order, exactly once, or the exit code and stderr say which
// were not: the client paces itself to the server's rate limit (outgoing.ts),
// and at the end of input it waits for the server to have stored (echoed)
// every line before it leaves.
import { createInterface } from 'node:readline';
import { QUIT_COMMANDS } from '../protos/rules.js';
import type { ChatClient } from './client.js';
import { clock, failureReason, visible, visibleLine } from './format.js';
import type { Line } from './domain.js';
import type { ChatStore } from './store.js';

/** chat-tui's exit codes (README: "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** Bad flags or config. */
  usage: 2,
  /** No server answered within --timeout. */
  unreachable: 3,
  /** The server refused a line, or the whole stream, for good. */
  refused: 4,
} as const;

export interface PlainOptions {
  room: string;
  /** Give up when no server has answered for this long. */
  timeoutMs: number;
  /** One-shot: post these lines and exit, printing nothing of the room (but `history` lines). */
  send?: readonly string[] | 'stdin';
  /** With `send`: print this many recent messages first. */
  history?: number;
}

export interface PlainIO {
  input: NodeJS.ReadableStream;
  out(line: string): void;
  err(line: string): void;
}

const processIO: PlainIO = {
  input: process.stdin,
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`chat-tui: ${s}\n`),
};

export function formatPlain(l: Line): string {
  const t = `[${clock(l.timestamp)}]`;
  const text = visibleLine(l.text); // one line per message, line breaks pictured
  if (l.type === 'JOIN' || l.type === 'LEAVE') return `${t} >>> ${text}`;
  if (l.type === 'TEXT') return text.startsWith('/me ') ? `${t} * ${visible(l.username)} ${text.slice(4)}` : `${t} ${visible(l.username)}: ${text}`;
  return `${t} ${text}`;
}

/** "connect ECONNREFUSED 127.0.0.1:1" -> "connection refused": the words a person expects. */
export function unreachableReason(detail: string): string {
  const gist = failureReason(detail);
  if (/ECONNREFUSED/.test(gist)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN|Name resolution/i.test(gist)) return 'host not found';
  if (/ETIMEDOUT|Deadline/i.test(gist)) return 'timed out';
  return gist || 'no answer';
}

const quote = (text: string) => `"${visible([...text].slice(0, 60).join(''))}${[...text].length > 60 ? '…' : ''}"`;

export function runPlain(store: ChatStore, client: ChatClient, opts: PlainOptions, io: PlainIO = processIO): Promise<number> {
  const { room } = opts;
  const oneShot = opts.send !== undefined;
  const refused: Array<{ text: string; reason: string }> = [];
  client.onRefused((_room, text, reason) => refused.push({ text, reason }));
  // Issue 16: someone else's edit, delete or reaction, as the server words it (ours were typed here).
  client.onAmend((roomId, line) => {
    if (!oneShot && roomId === room && line.userId !== store.getState().userId) io.out(formatPlain(line));
  });

  return new Promise<number>((resolve) => {
    let done = false;
    let inputEnded = false;
    let given = 0;
    const finish = (code: number, why?: string) => {
      if (done) return;
      done = true;
      clearTimeout(reachTimer);
      unsubscribe();
      if (why) io.err(why);
      // No leave: the room stays one of the user's (issue 13); ending the session is only going offline.
      client.close();
      resolve(code);
    };
    const notSent = () => {
      const waiting = store.getState().rooms[room]?.pending ?? [];
      const lost = [...refused.map((r) => r.text), ...waiting.map((p) => p.text)];
      const first = lost[0];
      return first === undefined ? '' : `; ${lost.length} of ${given} line(s) not sent, the first: ${quote(first)}`;
    };
    const settleIfDone = () => {
      if (!inputEnded || client.unconfirmed > 0) return;
      if (refused.length === 0) return finish(EXIT.ok);
      const first = refused[0];
      finish(EXIT.refused, `${refused.length} of ${given} line(s) not sent, the first: ${quote(first?.text ?? '')} (${first?.reason ?? ''})`);
    };

    // No answer from any server for --timeout: say so rather than wait for ever.
    let reachTimer: NodeJS.Timeout | undefined;
    const armReach = () => {
      reachTimer ??= setTimeout(() => {
        const s = store.getState();
        const reason = unreachableReason(s.connection.detail);
        finish(EXIT.unreachable, `cannot reach ${s.server} (${reason})${notSent()}`);
      }, opts.timeoutMs);
    };
    armReach();

    let printed = new Set<string>();
    let seenLines: unknown = null;
    const unsubscribe = store.subscribe((s) => {
      const { state, detail } = s.connection;
      if (state === 'online') {
        clearTimeout(reachTimer);
        reachTimer = undefined;
      } else if (state === 'refused') {
        return finish(EXIT.refused, `the server refused: ${detail}${notSent()}`);
      } else armReach();
      const lines = s.rooms[room]?.lines ?? [];
      // Most store changes (pending, connection, counts) leave the lines alone.
      if (lines !== seenLines && !oneShot) {
        seenLines = lines;
        const next = new Set<string>();
        for (const l of lines) {
          next.add(l.key);
          // Our own echoes were typed by us; like the seed, don't print them back.
          if (!printed.has(l.key) && !(l.type === 'TEXT' && l.userId === s.userId)) io.out(formatPlain(l));
        }
        printed = next;
      }
      settleIfDone();
    });

    const send = (line: string) => {
      // The server posts nothing for a blank line, so there would be no echo to wait for.
      if (!line.trim()) return;
      given++;
      client.send(room, line);
    };
    const endInput = () => {
      inputEnded = true;
      settleIfDone();
    };
    const readInput = (stopOnQuit: boolean) => {
      const rl = createInterface({ input: io.input });
      rl.on('line', (line) => {
        if (inputEnded) return;
        if (stopOnQuit && QUIT_COMMANDS.includes(line.trim())) {
          endInput();
          return rl.close();
        }
        send(line);
      });
      rl.on('close', endInput);
    };

    if (!oneShot) {
      io.out(`[CLIENT] Connecting to ${client.target} as ${store.getState().username}`);
      io.out(`[CLIENT] Joining room: ${room}`);
      client.join(room, true);
      return readInput(true);
    }
    const start = () => {
      client.join(room, true);
      if (opts.send === 'stdin') return readInput(false);
      for (const line of opts.send ?? []) send(line);
      endInput();
    };
    if (!opts.history) return start();
    // History first, from the store's newest, then the post.
    client.recent(room, opts.history).then(
      (lines) => {
        for (const l of lines) io.out(formatPlain(l));
        start();
      },
      (err: Error) => {
        const s = store.getState();
        finish(EXIT.unreachable, `cannot read the history of ${room} from ${s.server} (${unreachableReason(err.message)})`);
      },
    );
  });
}
