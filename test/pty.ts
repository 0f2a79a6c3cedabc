// The real chat-tui binary in a pseudo-terminal, read through a headless
// xterm: the screen a person would see, and everything written to get there.
import xtermHeadless from '@xterm/headless';
import * as pty from 'node-pty';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sleep } from './helpers.js';
import { TUI_BIN } from './processes.js';

const { Terminal } = xtermHeadless;

/** Every chat-tui started and not yet exited, so a failed test can end them (they would hold the runner open). */
const running = new Set<PtyTui>();

export class PtyTui {
  readonly term: InstanceType<typeof Terminal>;
  readonly proc: pty.IPty;
  exitCode: number | null = null;
  /** Everything the process wrote, escape sequences and all. */
  raw = '';
  /** Every title the process set on the terminal. */
  readonly titles: string[] = [];
  private readonly exited: Promise<void>;

  /**
   * A config home of its own (XDG_CONFIG_HOME, empty unless `config` gives a
   * config.toml): a developer's real config is never read.
   */
  readonly configHome: string;

  constructor(args: string[], cols = 90, rows = 22, options: { config?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.term = new Terminal({ cols, rows, allowProposedApi: true });
    this.term.onTitleChange((title) => this.titles.push(title));
    this.configHome = mkdtempSync(path.join(tmpdir(), 'chat-tui-config-'));
    if (options.config !== undefined) {
      mkdirSync(path.join(this.configHome, 'chat-tui'));
      writeFileSync(path.join(this.configHome, 'chat-tui', 'config.toml'), options.config, { mode: 0o600 });
    }
    const env = { ...process.env, TERM: 'xterm-256color', XDG_CONFIG_HOME: this.configHome, CHAT_CONFIG: '', ...options.env };
    this.proc = pty.spawn(process.execPath, [TUI_BIN, ...args], { cols, rows, env });
    this.proc.onData((d) => {
      this.raw += d;
      this.term.write(d);
    });
    this.exited = new Promise((resolve) =>
      this.proc.onExit(({ exitCode }) => {
        this.exitCode = exitCode;
        running.delete(this);
        rmSync(this.configHome, { recursive: true, force: true });
        resolve();
      }),
    );
    running.add(this);
  }

  /** The active buffer's text, one line per row, trailing blanks trimmed. */
  screen(): string {
    const buf = this.term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buf.length; i++) out.push(buf.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  /** Waits until the screen matches `want` (a pattern, or a test of the whole screen). */
  async waitFor(want: RegExp | ((screen: string) => boolean), ms = 8000): Promise<void> {
    const matches = typeof want === 'function' ? want : (s: string) => want.test(s);
    const end = Date.now() + ms;
    while (!matches(this.screen())) {
      if (Date.now() > end) throw new Error(`screen never matched ${want}:\n${this.screen()}`);
      await sleep(25);
    }
  }

  /** The terminal changes size, as a window resized by hand. */
  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
    this.proc.resize(cols, rows);
  }

  /** The text of one screen row, trailing blanks trimmed. */
  row(y: number): string {
    return this.term.buffer.active.getLine(y)?.translateToString(true) ?? '';
  }

  /** Types as a person would: the keys, then a moment for the frame. */
  async type(text: string): Promise<void> {
    this.proc.write(text);
    await sleep(60);
  }

  /** Resolves with the exit code once the process exits, or null if it is still running after `ms`. */
  async waitForExit(ms = 5000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
    return this.exitCode;
  }

  kill(): void {
    if (this.exitCode === null) this.proc.kill();
  }
}

/** Ends every chat-tui still running: for after() hooks. */
export function killRunningTuis(): void {
  for (const tui of running) tui.kill();
}
