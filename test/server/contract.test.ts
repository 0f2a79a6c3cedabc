// A client built from the seed's contract alone (fields 1-6, JoinChat only).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { eventually, suiteServer } from '../helpers.js';
import { repoPath } from '../paths.js';

const fixture = repoPath('test/fixtures/contract.proto');
// The team's copy of the seed's contract, in a `shared` folder beside the repository.
const shared = repoPath('../shared/contract/chat.proto');

interface SeedMessage {
  user_id: string;
  username: string;
  message: string;
  timestamp: string;
  type: number;
  room_id: string;
}

describe('seed wire contract', () => {
  const fx = suiteServer({ history: 50 });

  it('the fixture is the shared contract', { skip: !existsSync(shared) && 'no ../shared beside the repo' }, () => {
    assert.equal(readFileSync(fixture, 'utf8'), readFileSync(shared, 'utf8'));
  });

  it('a seed client chats, sees history and notices, with seed defaults (numeric enums, Long as string)', async () => {
    const def = protoLoader.loadSync(fixture, { keepCase: true, longs: String, defaults: true });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      chat: { ChatService: new (t: string, c: grpc.ChannelCredentials) => grpc.Client & { JoinChat(): grpc.ClientDuplexStream<Partial<SeedMessage>, SeedMessage> } };
    };
    const client = new pkg.chat.ChatService(fx.server.target, grpc.credentials.createInsecure());
    const open = (name: string) => {
      const got: SeedMessage[] = [];
      const call = client.JoinChat();
      call.on('data', (m) => got.push(m));
      call.on('error', () => undefined);
      call.write({ user_id: `uuid-${name}`, username: name, message: '', type: 1, room_id: 'seedroom', timestamp: String(Date.now()) });
      return { call, got };
    };
    const alice = open('Alice');
    alice.call.write({ user_id: 'uuid-Alice', username: 'Alice', message: 'Hello everyone!', type: 0, room_id: 'seedroom' });
    await eventually(() => alice.got.some((m) => m.message === 'Hello everyone!'), 'the echo');
    const bob = open('Bob');
    await eventually(() => bob.got.some((m) => m.message === '--- End of history ---'), 'the history block');
    await eventually(() => alice.got.some((m) => m.message === 'Bob joined the room'), "Bob's JOIN");
    assert.deepEqual(
      bob.got.map((m) => [m.type, m.message]),
      [
        [3, '--- Recent messages in seedroom ---'],
        [1, 'Alice joined the room'],
        [0, 'Hello everyone!'],
        [3, '--- End of history ---'],
      ],
    );
    const hello = bob.got[2];
    assert.equal(hello?.username, 'Alice');
    assert.equal(hello?.user_id, 'uuid-Alice');
    assert.match(hello?.timestamp ?? '', /^\d{13}$/);
    assert.deepEqual(Object.keys(hello ?? {}).sort(), ['message', 'room_id', 'timestamp', 'type', 'user_id', 'username']);
    bob.call.write({ user_id: 'uuid-Bob', username: 'Bob', message: 'Hi Alice!', type: 0, room_id: 'seedroom' });
    await eventually(() => alice.got.some((m) => m.message === 'Hi Alice!'), "Bob's message");
    bob.call.end();
    await eventually(() => alice.got.some((m) => m.type === 2 && m.message === 'Bob left the room'), "Bob's LEAVE");
    alice.call.end();
    client.close();
  });
});
