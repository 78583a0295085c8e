// sio::Emitter and sio-emit against @socket.io/redis-emitter: what ours
// publishes is byte for byte what the Node emitter publishes for the same
// call (read back from Redis by a subscriber), and it reaches the clients of
// a C++ node (sio-cluster-node) and of a Node socket.io node alike.
// The C++ API runs inside sio-cluster-node (its "emitter" event); the
// command-line tool is build/bin/sio-emit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { withTimeout, nextEvent } from '../lib/wait.mjs';
import { programCommand } from '../lib/server.mjs';
import { freePort, startRedis } from './cluster.mjs';
import { startNode } from './nodes.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');
const { createClient } = require('redis');
const { Emitter } = require('@socket.io/redis-emitter');

let redis, nodeEmitterClient, nodeEmitter, spy;
const nodes = [];
const clients = [];  // { name, socket, got: [] }
const published = [];  // { channel, message } as Redis delivered them, in order

const ask = (c, ...args) => c.socket.timeout(5000).emitWithAck(...args);

before(async () => {
  redis = await startRedis();
  for (const [kind, name] of [['cpp', 'cpp-1'], ['node', 'node-2']]) nodes.push({ name, ...(await startNode(kind, name, redis.url)) });
  for (const n of nodes) {
    for (const i of [0, 1]) {
      const socket = io(n.url, { forceNew: true, reconnection: false });
      const c = { name: `${n.name}/${i}`, socket, got: [] };
      socket.on('bcast', (...args) => c.got.push(args));
      clients.push(c);
      await nextEvent(socket, 'connect');
      await ask(c, 'join', i === 0 ? 'even' : 'odd');
    }
  }
  nodeEmitterClient = createClient({ url: redis.url });
  nodeEmitterClient.on('error', () => {});
  await nodeEmitterClient.connect();
  nodeEmitter = new Emitter(nodeEmitterClient);
  spy = createClient({ url: redis.url });
  spy.on('error', () => {});
  await spy.connect();
  await spy.pSubscribe('socket.io*', (message, channel) => published.push({ channel: channel.toString(), message }), true);
  for (const c of clients) {  // the cluster is formed: every node sees the 4 sockets
    assert.equal((await ask(c, 'fetch')).length, 4);
  }
});

after(async () => {
  for (const c of clients) c.socket.close();
  await spy?.quit().catch(() => {});
  await nodeEmitterClient?.quit().catch(() => {});
  for (const n of nodes) await n.stop();
  await redis?.stop();
});

const cpp = () => clients[0];  // a client of the C++ node, which runs sio::Emitter

// The next `n` publications Redis delivers (the spy sees them in order).
async function nextPublished(n, what) {
  await withTimeout(new Promise((resolve) => {
    const poll = () => (published.length >= n ? resolve() : setImmediate(poll));
    poll();
  }), 5000, what);
  return published.splice(0, n);
}

// The same call through the Node emitter and through sio::Emitter: the same
// channel and the same bytes.
async function samePublication(label, viaNode, op, ...args) {
  published.length = 0;
  viaNode(nodeEmitter);
  const [theirs] = await nextPublished(1, `${label} from @socket.io/redis-emitter`);
  const answer = await ask(cpp(), 'emitter', op, ...args);
  assert.deepEqual(answer, { ok: true, error: '' });
  const [ours] = await nextPublished(1, `${label} from sio::Emitter`);
  assert.equal(ours.channel, theirs.channel, label);
  assert.equal(ours.message.toString('hex'), theirs.message.toString('hex'), label);
}

test('sio::Emitter publishes what @socket.io/redis-emitter publishes', async () => {
  await samePublication('emit to all', (e) => e.emit('bcast', 'a', 1, { x: [true, null, 2.5] }),
    { do: 'emit', event: 'bcast' }, 'a', 1, { x: [true, null, 2.5] });
  await samePublication('emit to one room', (e) => e.to('odd').emit('bcast', 'b'),
    { do: 'emit', event: 'bcast', to: ['odd'] }, 'b');
  await samePublication('rooms and except', (e) => e.to('even').to('odd').except('vip').emit('bcast', 'c'),
    { do: 'emit', event: 'bcast', to: ['even', 'odd'], except: ['vip'] }, 'c');
  await samePublication('binary in a namespace', (e) => e.of('/admin').to('r').emit('news', Buffer.from([1, 2, 3]), { nested: Buffer.alloc(300, 7) }),
    { do: 'emit', nsp: '/admin', event: 'news', to: ['r'] }, Buffer.from([1, 2, 3]), { nested: Buffer.alloc(300, 7) });
  // (JavaScript writes the flags in the order they were set; ours are always
  // compress, then volatile.)
  await samePublication('volatile, not compressed', (e) => e.compress(false).volatile.emit('bcast', 'd'),
    { do: 'emit', event: 'bcast', volatile: true, compress: false }, 'd');
  await samePublication('socketsJoin', (e) => e.to('odd').socketsJoin(['x', 'y']), { do: 'join', to: ['odd'], rooms: ['x', 'y'] });
  await samePublication('socketsLeave', (e) => e.except('odd').socketsLeave('x'), { do: 'leave', except: ['odd'], rooms: ['x'] });
  await samePublication('disconnectSockets', (e) => e.to('nobody').disconnectSockets(true), { do: 'disconnect', to: ['nobody'], close: true });
  await samePublication('serverSideEmit', (e) => e.serverSideEmit('hello', 'w', 3), { do: 'server-side', event: 'hello' }, 'w', 3);
});

// Resolves once every client has an event whose first argument is `tag`.
function allGot(tag, who = clients) {
  return Promise.all(who.map((c) => withTimeout(new Promise((resolve) => {
    const poll = () => (c.got.some((a) => a[0] === tag) ? resolve() : setImmediate(poll));
    poll();
  }), 5000, `${c.name} to get ${tag}`)));
}
const countOf = (tag) => Object.fromEntries(clients.map((c) => [c.name, c.got.filter((a) => a[0] === tag).length]));

test('what sio::Emitter emits reaches the clients of C++ and Node nodes, binary included', async () => {
  const answer = await ask(cpp(), 'emitter', { do: 'emit', event: 'bcast', to: ['odd'] }, 'api-odd', Buffer.from([9, 8, 7]));
  assert.equal(answer.ok, true);
  await ask(cpp(), 'emitter', { do: 'emit', event: 'bcast' }, 'api-marker');
  await allGot('api-marker');
  assert.deepEqual(countOf('api-odd'), { 'cpp-1/0': 0, 'cpp-1/1': 1, 'node-2/0': 0, 'node-2/1': 1 });
  const got = clients[3].got.find((a) => a[0] === 'api-odd');
  assert.ok(Buffer.isBuffer(got[1]) && got[1].equals(Buffer.from([9, 8, 7])));
});

test('sockets_join through sio::Emitter joins sockets on every node', async () => {
  assert.equal((await ask(cpp(), 'emitter', { do: 'join', to: ['even'], rooms: ['joined'] })).ok, true);
  // The join and the emit travel on different channels: emit until it arrives.
  for (let i = 0; ; i++) {
    await ask(cpp(), 'emitter', { do: 'emit', event: 'bcast', to: ['joined'] }, `to-joined-${i}`);
    await ask(cpp(), 'emitter', { do: 'emit', event: 'bcast' }, `marker-joined-${i}`);
    await allGot(`marker-joined-${i}`);
    const counts = countOf(`to-joined-${i}`);
    if (counts['cpp-1/0'] && counts['node-2/0']) {
      assert.deepEqual(counts, { 'cpp-1/0': 1, 'cpp-1/1': 0, 'node-2/0': 1, 'node-2/1': 0 });
      break;
    }
    assert.ok(i < 20, 'the join took effect');
  }
});

function sioEmit(args) {
  const [cmd] = programCommand('sio-emit');
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 20000 }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stderr }));
  });
}

test('sio-emit emits once and exits 0', async () => {
  const r = await sioEmit(['--redis', redis.url, '--to', 'odd', '--to', 'even', '--except', 'even', 'bcast', '"cli"', '{"n":[1,2]}']);
  assert.deepEqual(r, { code: 0, stderr: '' });
  assert.equal((await sioEmit(['--redis', redis.url, 'bcast', '"cli-marker"'])).code, 0);
  await allGot('cli-marker');
  assert.deepEqual(countOf('cli'), { 'cpp-1/0': 0, 'cpp-1/1': 1, 'node-2/0': 0, 'node-2/1': 1 });
  assert.deepEqual(clients[1].got.find((a) => a[0] === 'cli'), ['cli', { n: [1, 2] }]);
});

test('sio-emit: Redis out of reach is exit 1 with the reason; bad input is exit 2', async () => {
  const port = await freePort();  // nothing listens there
  const down = await sioEmit(['--redis', `redis://127.0.0.1:${port}`, '--timeout-ms', '300', 'bcast']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /did not take 1 message\(s\) within 300 ms: Connection refused/);
  const badUrl = await sioEmit(['--redis', 'http://127.0.0.1', 'bcast']);
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /not a redis:\/\/ URL/);
  const badJson = await sioEmit(['--redis', redis.url, 'bcast', '{nope']);
  assert.equal(badJson.code, 2);
  assert.match(badJson.stderr, /argument is not JSON/);
  const reserved = await sioEmit(['--redis', redis.url, 'disconnect']);
  assert.equal(reserved.code, 2);
  assert.match(reserved.stderr, /reserved event name/);
});
