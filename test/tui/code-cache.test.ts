// The bundled chat-tui's code cache (tui/app-script.ts): the one the build
// made is taken on a normal start; with other V8 flags V8 refuses it, and a
// cache of the user's own is written after the first frame, then taken; a
// damaged cache only costs a start its speed. Seen from outside: a cache is
// written only when none fitted, so the files in $XDG_CACHE_HOME tell.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sleep, tempDir } from '../helpers.js';
import { killRunningTuis, PtyTui } from '../pty.js';

const BUILT_CACHE = fileURLToPath(new URL('../../tui/chat-tui-app.cache', import.meta.url));
const tmp = tempDir();
after(() => {
  killRunningTuis();
  tmp.cleanup();
});

/** One start to its first frame, and a moment for a cache to be written after it. */
async function start(cacheHome: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const tui = new PtyTui(['--user', 'Cached', '--server', '127.0.0.1:9'], 90, 22, { env: { XDG_CACHE_HOME: cacheHome, ...env } });
  await tui.waitFor(/Rooms/);
  await sleep(500);
  tui.kill();
  await tui.waitForExit();
}

function caches(cacheHome: string): string[] {
  const dir = path.join(cacheHome, 'chat-tui');
  return existsSync(dir) ? readdirSync(dir).map((f) => path.join(dir, f)) : [];
}

describe('the bundled app with V8 code cache', () => {
  it('takes the cache the build made: nothing is written on a normal start', async () => {
    assert.ok(existsSync(BUILT_CACHE), 'the build made no code cache (see its warning)');
    const home = path.join(tmp.dir, 'normal');
    await start(home);
    assert.deepEqual(caches(home), []);
  });

  it('with other V8 flags writes a cache of its own after the first frame, then takes it', async () => {
    const home = path.join(tmp.dir, 'flags');
    // A common one: V8 refuses a cache made under other flags.
    const env = { NODE_OPTIONS: '--max-old-space-size=3000' };
    await start(home, env);
    const [file, ...more] = caches(home);
    assert.ok(file && /app-[0-9a-f]{32}-[0-9a-f]{8}\.cache$/.test(file), `one cache written: ${String(file)}`);
    assert.deepEqual(more, []);
    const first = statSync(file);
    assert.ok(first.size > 100_000, `a cache of the compiled app: ${first.size} bytes`);

    await start(home, env);
    const second = statSync(file);
    assert.equal(second.ino, first.ino, 'taken, not written again');
    assert.equal(second.mtimeMs, first.mtimeMs);

    // A normal start beside it takes the build's cache and leaves this one be.
    await start(home);
    assert.deepEqual(caches(home), [file]);
    assert.equal(statSync(file).ino, first.ino);

    // Damaged: the start still draws (start() waits for the frame) and the cache is made again.
    writeFileSync(file, 'not a code cache');
    await start(home, env);
    assert.ok(statSync(file).size > 100_000);
  });
});
