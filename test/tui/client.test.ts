// The gRPC adapter against a real server: offline typing, resend, resume.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { createController } from '../../tui/actions.js';
import { ChatClient } from '../../tui/client.js';
import { backoffMs } from '../../tui/connection.js';
import { createChatStore } from '../../tui/store.js';
import { connect, eventually, join, startServer, tempDir } from '../helpers.js';
import { freePort } from '../processes.js';

// The bin users run: the bundled chat-tui.
const BIN = fileURLToPath(new URL('../../tui/chat-tui.cjs', import.meta.url));


describe('chat client', () => {
  it('backs off exponentially with jitter, capped', () => {
    assert.equal(backoffMs(0, () => 0.5), 500);
    assert.equal(backoffMs(3, () => 0.5), 4000);
    assert.equal(backoffMs(20, () => 0.5), 15000);
    assert.equal(backoffMs(1, () => 0), 500);
    assert.equal(backoffMs(1, () => 0.999), 1499);
  });

  it('keeps messages typed while the server is down, in order, and sends them once it is up', async () => {
    const port = await freePort();
    const tmp = tempDir();
    const store = createChatStore({ username: 'Olga', userId: 'olga-id', server: `127.0.0.1:${port}`, room: 'offline' });
    const client = new ChatClient(store, `127.0.0.1:${port}`);
    client.join('offline');
    await eventually(() => store.getState().connection.state === 'reconnecting', 'reconnecting state');
    for (const t of ['first', 'second', 'third']) client.send('offline', t);
    assert.deepEqual(store.getState().rooms.offline?.pending.map((p) => p.text), ['first', 'second', 'third']);
    const server = await startServer({ port, store: `sqlite:${tmp.dir}/c.db` });
    await eventually(() => store.getState().rooms.offline?.pending.length === 0, 'pending confirmed', 20000);
    // What the server stored, seen by someone joining afterwards.
    const watcher = connect(server.target);
    const w = join(watcher, 'Watcher', 'offline');
    await w.waitForText('--- End of history ---');
    const texts = w.texts().filter((t) => t.startsWith('Olga:'));
    assert.deepEqual(texts, ['Olga: first', 'Olga: second', 'Olga: third'], 'in order, each once');
    client.close();
    w.leave();
    watcher.close();
    await server.stop();
    tmp.cleanup();
  });

  it('completes the name of a member who is here but never spoke in what was loaded', async () => {
    const server = await startServer({ history: 5 });
    const c = connect(server.target);
    const quiet = join(c, 'Quentin', 'tabs');
    const talker = join(c, 'Tess', 'tabs');
    for (let i = 0; i < 10; i++) talker.say(`filler ${i}`);
    await talker.waitForText('filler 9');
    const store = createChatStore({ username: 'Uma', userId: 'uma-id', server: server.target, room: 'tabs' });
    const client = new ChatClient(store, server.target);
    const controller = createController(store, client, () => undefined);
    client.join('tabs');
    await eventually(() => store.getState().rooms.tabs?.members.length === 3, 'the member list');
    // Quentin's JOIN is older than the 5 lines replayed: only the member list knows him.
    assert.ok(!store.getState().rooms.tabs?.lines.some((l) => l.username === 'Quentin'), 'Quentin is not in the loaded lines');
    store.getState().setInput('Qu');
    controller.run({ kind: 'complete' }, 10);
    assert.equal(store.getState().editor.text, 'Quentin: ');
    client.close();
    quiet.leave();
    talker.leave();
    c.close();
    await server.stop();
  });

  it('completes a room name after /join from the sidebar, and from the server (ListRooms) when the sidebar has none', async () => {
    const server = await startServer({});
    const c = connect(server.target);
    const other = join(c, 'Olga', 'random-talk');
    other.say('here');
    await other.waitForText('here');
    const store = createChatStore({ username: 'Uma', userId: 'uma-id', server: server.target, room: 'tabs' });
    const client = new ChatClient(store, server.target);
    const controller = createController(store, client, () => undefined);
    client.join('tabs');
    store.getState().setInput('/join ta');
    controller.run({ kind: 'complete' }, 10);
    assert.equal(store.getState().editor.text, '/join tabs ', 'from the sidebar at once');
    store.getState().setInput('/join #ran');
    controller.run({ kind: 'complete' }, 10);
    await eventually(() => store.getState().editor.text === '/join #random-talk ', 'completed once the server listed its rooms');
    assert.ok(store.getState().serverRooms.names.includes('random-talk'));
    // The cursor stays where the completion ends, text after it kept.
    store.getState().setInput('/join ran and more', '/join ran'.length);
    controller.run({ kind: 'complete' }, 10);
    assert.deepEqual([store.getState().editor.text, store.getState().editor.cursor], ['/join random-talk  and more', '/join random-talk '.length]);
    client.close();
    other.leave();
    c.close();
    await server.stop();
  });

  it('runs the seed-style line mode when stdout is not a terminal', async () => {
    const server = await startServer({});
    const c = connect(server.target);
    const peer = join(c, 'Peer', 'pipes');
    peer.say('hello pipe');
    await peer.waitForText('hello pipe');
    // Not spawnSync: the server lives in this process and must keep answering.
    const child = spawn(process.execPath, [BIN, 'Piper', 'pipes', server.target], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end('from stdin\n');
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const out = { status, stdout, stderr };
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /^\[CLIENT\] Connecting to 127\.0\.0\.1:\d+ as Piper$/m);
    assert.match(out.stdout, /^\[\d\d:\d\d:\d\d\] >>> Peer joined the room$/m);
    assert.match(out.stdout, /^\[\d\d:\d\d:\d\d\] Peer: hello pipe$/m);
    await peer.waitForText('from stdin');
    const bad = spawnSync(process.execPath, [BIN, '--server'], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.equal(bad.stderr.trim().split('\n')[0], "error: option '-s, --server <host:port>' argument missing");
    peer.leave();
    c.close();
    await server.stop();
  });
});
