// sio-notify --redis: notifications through Redis reach a user's tabs. A
// server-side emit "notify" (from C++ sio::Emitter via `sio-notify send`, or
// from Node's @socket.io/redis-emitter) is stored and counted unread like a
// POST /notify; an event emitted straight to the room "user:<name>" (sio-emit)
// reaches the tabs too, as a live notification the server does not store.
// redis-server (Debian's) runs on a free loopback port for the test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { programCommand } from '../lib/server.mjs';
import { withTimeout } from '../lib/wait.mjs';
import { startRedis } from '../redis/cluster.mjs';
import { connect, login, post, startNotify } from './lib/notify.mjs';

const require = createRequire(import.meta.url);
const { createClient } = require('redis');
const { Emitter } = require('@socket.io/redis-emitter');

let redis;
let server;
let client;
let emitter;
let alice;
let bob;

before(async () => {
  redis = await startRedis();
  server = await startNotify({ redis: redis.url });
  client = createClient({ url: redis.url });
  await client.connect();
  emitter = new Emitter(client);
  const token = await login(server.url, 'alice');
  alice = await Promise.all([connect(server.url, token), connect(server.url, token), connect(server.url, token)]);
  bob = await connect(server.url, await login(server.url, 'bob'));
});

after(async () => {
  for (const t of [...(alice ?? []), bob]) t?.close();
  await client?.quit();
  await server?.stop();
  await redis?.stop();
});

// Resolves once the server's stderr (read apart from the sockets) has `re`.
function logged(re) {
  return withTimeout(new Promise((resolve) => {
    const check = () => {
      if (!re.test(server.stderr())) return;
      server.proc.stderr.off('data', check);
      resolve();
    };
    server.proc.stderr.on('data', check);
    check();
  }), 5000, `sio-notify to log ${re}`);
}

// bob's next stored notification proves he got none of alice's before it.
async function bobGotNothingElse() {
  const r = await post(server.url, '/notify', { to: 'bob', title: `marker for bob` });
  const first = await bob.until((name, p) => name === 'notification' && typeof p.id === 'number', 'bob\'s marker');
  assert.equal(first.id, r.json.id);
  assert.equal(bob.notifications().length, 1);
  bob.events.length = 0;
}

test('sio::Emitter (sio-notify send) reaches all three tabs of alice, stored and counted', async () => {
  const [exe] = programCommand('sio-notify');
  const sent = spawnSync(exe, ['send', '--redis', redis.url, '--to', 'alice', '--title', 'From C++', '--body', 'via sio::Emitter'],
    { encoding: 'utf8', timeout: 10000 });
  assert.equal(sent.status, 0, sent.stderr);
  let id;
  for (const t of alice) {
    const n = await t.until((name, p) => name === 'notification' && p.title === 'From C++', 'the C++ emitter\'s notification');
    assert.equal(n.body, 'via sio::Emitter');
    assert.equal(typeof n.id, 'number');
    id ??= n.id;
    assert.equal(n.id, id);
    assert.equal(n.unread, 1);
  }
  // Stored: a read receipt works on it and every tab hears the count.
  assert.deepEqual(await alice[1].ask('read', id), { ok: true, unread: 0 });
  for (const t of alice) await t.until((name, p) => name === 'unread' && p.read.includes(id), 'the count');
  await bobGotNothingElse();
});

test('@socket.io/redis-emitter serverSideEmit("notify") reaches all three tabs of alice', async () => {
  emitter.serverSideEmit('notify', { to: ['alice'], title: 'From Node', body: 'via @socket.io/redis-emitter' });
  for (const t of alice) {
    const n = await t.until((name, p) => name === 'notification' && p.title === 'From Node', 'the Node emitter\'s notification');
    assert.equal(typeof n.id, 'number');
    assert.equal(n.unread, 1);
  }
  // A bad one through Redis is dropped (and logged); nothing reaches anyone.
  emitter.serverSideEmit('notify', { to: 'alice', title: 'x'.repeat(500) });
  emitter.serverSideEmit('notify', 'not an object');
  // The next one on the same Redis channel comes after them, in order.
  emitter.serverSideEmit('notify', { to: 'alice', title: 'after the bad ones' });
  for (const t of alice) {
    await t.until((name, p) => name === 'notification' && p.title === 'after the bad ones', 'the next good one');
    assert.equal(t.notifications().filter((p) => p.title.startsWith('xxx')).length, 0);
  }
  await logged(/a notify through Redis refused: `title` is longer than 120 bytes/);
  await logged(/a notify through Redis refused: the body must be a JSON object/);
  await bobGotNothingElse();
});

test('a room emit (sio-emit, the Node emitter\'s to()) reaches alice\'s tabs as a live notification', async () => {
  const sent = spawnSync(programCommand('sio-emit')[0],
    ['--redis', redis.url, '--to', 'user:alice', 'notification', '{"title":"Live from sio-emit"}'],
    { encoding: 'utf8', timeout: 10000 });
  assert.equal(sent.status, 0, sent.stderr);
  emitter.to('user:alice').emit('notification', { title: 'Live from Node' });
  for (const t of alice) {
    for (const title of ['Live from sio-emit', 'Live from Node']) {
      const n = await t.until((name, p) => name === 'notification' && p.title === title, title);
      assert.equal(n.id, undefined); // not stored by the server
    }
  }
  await bobGotNothingElse();
});
