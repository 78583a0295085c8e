// Three nodes on one Redis: two C++ servers (sio-cluster-node, on our Redis
// adapter) and one Node socket.io server (@socket.io/redis-adapter), each
// with two official socket.io-client clients, plus an
// @socket.io/redis-emitter. Every cross-node operation is checked from a C++
// node and from the Node node; then Redis restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { withTimeout, nextEvent } from '../lib/wait.mjs';
import { startRedis } from './cluster.mjs';
import { startNode } from './nodes.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');
const { createClient } = require('redis');
const { Emitter } = require('@socket.io/redis-emitter');

const NODES = [['cpp', 'cpp-1'], ['cpp', 'cpp-2'], ['node', 'node-3']];
let redis, emitterClient, emitter;
const nodes = [];
const clients = [];  // { name, node, socket, got: [] }

const ask = (c, ...args) => c.socket.timeout(5000).emitWithAck(...args);

// Every "bcast" a client receives, as JSON text of its arguments.
function track(c) {
  c.socket.on('bcast', (...args) => c.got.push(JSON.stringify(args)));
  c.socket.on('question', (ack) => ack(c.name));
}

// Resolves once `c` got `text` (JSON of the bcast arguments).
function received(c, text, ms = 5000) {
  return withTimeout(new Promise((resolve) => {
    if (c.got.includes(text)) return resolve();
    const on = (...args) => {
      if (JSON.stringify(args) === text) {
        c.socket.off('bcast', on);
        resolve();
      }
    };
    c.socket.on('bcast', on);
  }), ms, `${c.name} to receive ${text}`);
}

let seq = 0;
// Broadcasts from client `from`, then a marker through the same node to
// everyone: once every client has the marker, every copy of the message has
// arrived (one node publishes both, in order). Returns each client's count.
async function broadcastAndCount(from, args) {
  const msg = [`m${++seq}`, ...args];
  from.socket.emit('bcast', ...msg);
  const marker = [`marker${seq}`];
  from.socket.emit('bcast', ...marker);
  await Promise.all(clients.map((c) => received(c, JSON.stringify(marker))));
  return Object.fromEntries(clients.map((c) => [c.name, c.got.filter((g) => g === JSON.stringify(msg)).length]));
}

before(async () => {
  redis = await startRedis();
  for (const [kind, name] of NODES) nodes.push({ name, ...(await startNode(kind, name, redis.url)) });
  for (const n of nodes) {
    for (const i of [0, 1]) {
      const socket = io(n.url, { forceNew: true, reconnection: false });
      const c = { name: `${n.name}/${i}`, node: n.name, socket, got: [] };
      track(c);
      clients.push(c);
      await nextEvent(socket, 'connect');
      await ask(c, 'join', i === 0 ? 'even' : 'odd');
    }
  }
  emitterClient = createClient({ url: redis.url });
  emitterClient.on('error', () => {});
  await emitterClient.connect();
  emitter = new Emitter(emitterClient);
  // Every node sees every socket: the cluster is formed.
  for (const c of clients.filter((x) => x.name.endsWith('/0'))) {
    const sockets = await ask(c, 'fetch');
    assert.equal(sockets.length, 6, `${c.node} sees every socket of the cluster`);
  }
});

after(async () => {
  for (const c of clients) c.socket.close();
  await emitterClient?.quit().catch(() => {});
  for (const n of nodes) await n.stop();
  await redis?.stop();
});

const from = (node) => clients.find((c) => c.node === node);
const everyone = (n) => Object.fromEntries(clients.map((c) => [c.name, n]));
const only = (pred) => Object.fromEntries(clients.map((c) => [c.name, pred(c) ? 1 : 0]));

for (const origin of ['cpp-1', 'node-3']) {
  test(`a broadcast from ${origin} reaches every client of every node exactly once`, async () => {
    assert.deepEqual(await broadcastAndCount(from(origin), ['all', { n: 1 }]), everyone(1));
  });

  test(`to(room) and except(room) from ${origin} select on every node`, async () => {
    const c = from(origin);
    const msg = [`room${++seq}`];
    c.socket.emit('to', 'odd', ...msg);
    const ex = [`except${seq}`];
    c.socket.emit('except', 'odd', ...ex);
    const marker = [`marker-room${seq}`];
    c.socket.emit('bcast', ...marker);
    await Promise.all(clients.map((x) => received(x, JSON.stringify(marker))));
    const count = (text) => Object.fromEntries(clients.map((x) => [x.name, x.got.filter((g) => g === text).length]));
    assert.deepEqual(count(JSON.stringify(msg)), only((x) => x.name.endsWith('/1')));
    assert.deepEqual(count(JSON.stringify(ex)), only((x) => x.name.endsWith('/0')));
  });

  test(`fetchSockets on ${origin} returns every node's sockets with rooms and data`, async () => {
    const sockets = await ask(from(origin), 'fetch');
    assert.equal(sockets.length, 6);
    const byNode = {};
    for (const s of sockets) byNode[s.data.node] = (byNode[s.data.node] ?? 0) + 1;
    assert.deepEqual(byNode, { 'cpp-1': 2, 'cpp-2': 2, 'node-3': 2 });
    const ids = new Set(clients.map((c) => c.socket.id));
    for (const s of sockets) {
      assert.ok(ids.has(s.id), `${s.id} is one of the clients`);
      assert.ok(s.rooms.includes(s.id) && (s.rooms.includes('even') || s.rooms.includes('odd')));
    }
  });

  test(`a broadcast with acks from ${origin} collects every client's answer`, async () => {
    const { error, responses } = await ask(from(origin), 'ask-all');
    assert.equal(error, null);
    assert.deepEqual([...responses].sort(), clients.map((c) => c.name).sort());
  });

  test(`serverSideEmit from ${origin} reaches the other nodes and gathers their acks`, async () => {
    const msg = `hello-${++seq}`;
    const { error, replies } = await ask(from(origin), 'server-emit', msg);
    assert.equal(error, null);
    assert.deepEqual([...replies].sort(), NODES.map(([, n]) => n).filter((n) => n !== origin).sort());
    for (const [, n] of NODES) {
      const heard = await ask(from(n), 'heard');
      assert.equal(heard.includes(msg), n !== origin, `${n} heard ${msg}: ${n !== origin}`);
    }
  });
}

test('@socket.io/redis-emitter messages reach the clients of every node', async () => {
  const all = [`emitted${++seq}`];
  emitter.emit('bcast', ...all);
  const odd = [`emitted-odd${seq}`];
  emitter.to('odd').emit('bcast', ...odd);
  await Promise.all(clients.map((c) => received(c, JSON.stringify(all))));
  const marker = [`marker-emitter${seq}`];
  emitter.emit('bcast', ...marker);
  await Promise.all(clients.map((c) => received(c, JSON.stringify(marker))));
  const count = (text) => Object.fromEntries(clients.map((x) => [x.name, x.got.filter((g) => g === text).length]));
  assert.deepEqual(count(JSON.stringify(all)), everyone(1));
  assert.deepEqual(count(JSON.stringify(odd)), only((x) => x.name.endsWith('/1')));
});

test('after Redis restarts, broadcasts cross every node again', async () => {
  await redis.kill();
  // Meanwhile a node's own clients still get its broadcasts.
  const local = [`during${++seq}`];
  from('cpp-1').socket.emit('bcast', ...local);
  await Promise.all(clients.filter((c) => c.node === 'cpp-1').map((c) => received(c, JSON.stringify(local))));
  await redis.start();
  // Until every node is back a message may be lost: send again until one
  // crosses to every node (bounded).
  let n = 0;
  const sender = from('cpp-2');
  const crossed = (c) => new Promise((resolve) => {
    const on = (tag) => {
      if (typeof tag === 'string' && tag.startsWith(`after${seq}-`)) { c.socket.off('bcast', on); resolve(); }
    };
    c.socket.on('bcast', on);
  });
  const all = Promise.all(clients.map(crossed));
  const timer = setInterval(() => sender.socket.emit('bcast', `after${seq}-${n++}`), 250);
  try {
    await withTimeout(all, 20000, 'a broadcast to cross every node after the Redis restart');
  } finally {
    clearInterval(timer);
  }
  const status = await ask(from('cpp-1'), 'redis');
  assert.equal(status.connected, true);
  assert.ok(status.outages >= 1, 'the outage is visible in the status');
  // And the Node node's broadcasts reach the C++ nodes' clients.
  assert.deepEqual(await broadcastAndCount(from('node-3'), ['after-restart']), everyone(1));
});
