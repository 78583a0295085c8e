// Behind nginx with sticky sessions (the configuration of docs/scale-out.md,
// nginx.conf.template), long-polling-only official socket.io-client clients
// of two cluster nodes on one Redis chat with each other, also after Redis
// restarts. Run with two C++ nodes (sio-cluster-node) and, as the reference,
// with two Node nodes on @socket.io/redis-adapter.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { withTimeout, nextEvent } from '../lib/wait.mjs';
import { startRedis, startNginx, ipHashPeer } from './cluster.mjs';
import { startNode } from './nodes.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');

// A source address (127.0.X.1) that nginx's ip_hash sends to upstream `peer`.
function sourceFor(peer, n) {
  for (let x = 0; x < 256; x++) {
    const a = `127.0.${x}.1`;
    if (ipHashPeer(a, n) === peer) return a;
  }
  throw new Error(`no loopback address hashes to peer ${peer}`);
}

function pollingClient(nginx, clients, localAddress) {
  const c = io(nginx.url, {
    transports: ['polling'],       // long-polling only: every packet is its own HTTP request
    agent: new http.Agent({ keepAlive: true, localAddress }),
    forceNew: true,
    reconnection: false,
  });
  clients.push(c);
  return c;
}

// Resolves with the first "chat" message that `pred` accepts.
function chatWhere(client, pred, what, ms = 5000) {
  return withTimeout(new Promise((resolve) => {
    const on = (m) => { if (pred(m)) { client.off('chat', on); resolve(m); } };
    client.on('chat', on);
  }), ms, what);
}

for (const kind of ['cpp', 'node']) {
  describe(`two ${kind} nodes behind nginx`, () => {
    let redis, nodes, nginx;
    const clients = [];

    before(async () => {
      redis = await startRedis();
      nodes = [];
      for (const name of ['A', 'B']) nodes.push(await startNode(kind, name, redis.url));
      nginx = await startNginx(nodes.map((n) => n.port));
  });

  after(async () => {
    for (const c of clients) c.close();
    await nginx?.stop();
    for (const n of nodes ?? []) await n.stop();
    await redis?.stop();
  });

  test(`polling-only clients of two ${kind} nodes chat through nginx and Redis, also after a Redis restart`, async () => {
    const c1 = pollingClient(nginx, clients, sourceFor(0, 2));
    const c2 = pollingClient(nginx, clients, sourceFor(1, 2));
    await Promise.all([nextEvent(c1, 'connect'), nextEvent(c2, 'connect')]);
    assert.equal(c1.io.engine.transport.name, 'polling');
    assert.equal(await c1.timeout(5000).emitWithAck('whoami'), 'A', 'client 1 sticks to node A');
    assert.equal(await c2.timeout(5000).emitWithAck('whoami'), 'B', 'client 2 sticks to node B');

    // Both ways across nodes.
    const got2 = chatWhere(c2, (m) => m.msg === 'hi from 1', 'client 2 to get client 1\'s message');
    c1.emit('chat', 'hi from 1');
    assert.deepEqual(await got2, { node: 'A', msg: 'hi from 1' });
    const got1 = chatWhere(c1, (m) => m.msg === 'hi from 2', 'client 1 to get client 2\'s message');
    c2.emit('chat', 'hi from 2');
    assert.deepEqual(await got1, { node: 'B', msg: 'hi from 2' });

    // A room on the other node; client 1, not in it, gets nothing.
    await c2.timeout(5000).emitWithAck('join', 'room-b');
    const c1Saw = [];
    c1.on('chat', (m) => c1Saw.push(m.msg));
    const inRoom = chatWhere(c2, (m) => m.msg === 'to room', 'the room message');
    c1.emit('chat-room', 'room-b', 'to room');
    await inRoom;
    const marker = chatWhere(c1, (m) => m.msg === 'marker', 'the marker');
    c1.emit('chat', 'marker');
    await marker;
    assert.deepEqual(c1Saw.filter((m) => m === 'to room'), []);

    // Redis goes away and comes back: the nodes reconnect and resubscribe.
    await redis.kill();
    await redis.start();
    // Until both nodes are back, a message may be lost: send again until one crosses (bounded).
    let n = 0;
    const crossed = chatWhere(c2, (m) => m.msg.startsWith('after restart'), 'a message across nodes after the restart',
      15000);
    const timer = setInterval(() => c1.emit('chat', `after restart ${n++}`), 200);
    try {
      assert.equal((await crossed.catch((e) => {
        throw new Error(`${e.message} (client 1 connected: ${c1.connected}, client 2: ${c2.connected}; ` +
          `node stderr: ${nodes.map((x) => x.stderr()).join(' | ')})`);
      })).node, 'A');
    } finally {
      clearInterval(timer);
    }
    // Still sticky: the same sessions, still polling.
    assert.equal(c1.io.engine.transport.name, 'polling');
    assert.ok(c1.connected && c2.connected);
  });
  });
}
