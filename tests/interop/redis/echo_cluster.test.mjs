// The benchmark server as a cluster node: two `socketio-echo --redis` (two
// event loops each) and one Node socket.io server on @socket.io/redis-adapter.
// A `bcast` sent to any node reaches every client of every node, once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect } from 'socket.io-client';
import { programCommand, startProgram } from '../lib/server.mjs';
import { nextEvent } from '../lib/wait.mjs';
import { startRedis } from './cluster.mjs';
import { startNode } from './nodes.mjs';

let redis;
const servers = [];
const clients = [];

before(async () => {
  redis = await startRedis();
  for (const name of ['echo-1', 'echo-2']) {
    servers.push(await startProgram(programCommand('socketio-echo'),
      ['--port', '0', '--threads', '2', '--redis', redis.url], { label: name }));
  }
  servers.push(await startNode('node', 'node-3', redis.url));
  for (const s of servers) {
    for (let i = 0; i < 2; i++) {
      const c = connect(s.url, { transports: ['websocket'], forceNew: true });
      await nextEvent(c, 'connect');
      clients.push(c);
    }
  }
});

after(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.stop();
  await redis?.stop();
});

for (const from of [0, 2, 4]) {  // a client of echo-1, of echo-2, of the Node node
  test(`bcast from a client of node ${from / 2 + 1} reaches all six clients once`, async () => {
    const tag = `from-${from}-${Date.now()}`;
    const seen = clients.map(() => 0);
    const all = Promise.all(clients.map((c, i) => new Promise((resolve) => {
      c.on('bcast', (t, n) => {
        if (t !== tag) return;
        assert.equal(n, 42);
        if (++seen[i] === 1) resolve();
      });
    })));
    clients[from].emit('bcast', tag, 42);
    await Promise.race([all, new Promise((_, reject) => setTimeout(() => reject(new Error(`not every client got ${tag}: ${seen}`)), 5000))]);
    // A second, later broadcast from the same client proves the first arrived at most once.
    const marker = `${tag}-end`;
    const done = Promise.all(clients.map((c) => new Promise((resolve) => c.on('bcast', (t) => t === marker && resolve()))));
    clients[from].emit('bcast', marker, 0);
    await done;
    assert.deepEqual(seen, clients.map(() => 1));
  });
}
