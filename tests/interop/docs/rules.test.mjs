// sio-docs' rules with raw requests: exactly-once for a re-sent edit, late
// joiners, code-point positions, and bad input answered with a clear error
// while the others keep editing unharmed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { io } from 'socket.io-client';
import { DocsPeer, serverText } from './lib/docs-client.mjs';
import { startDocs } from './lib/docs-server.mjs';
import { DEFAULT_TIMEOUT_MS, nextEvent, withTimeout } from '../lib/wait.mjs';

async function raw(url) {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await nextEvent(socket, 'connect', { failOn: ['connect_error'] });
  const ask = (event, payload) =>
    withTimeout(socket.timeout(DEFAULT_TIMEOUT_MS).emitWithAck(event, payload), DEFAULT_TIMEOUT_MS + 500, event);
  return { socket, ask };
}

async function withServer(opts, fn) {
  const server = await startDocs(opts);
  try {
    await fn(server);
  } finally {
    await server.stop();
  }
}

test('an edit re-sent on a new connection (same client id and seq) is applied once', async () => {
  await withServer({}, async (server) => {
    const a = await raw(server.url);
    assert.equal((await a.ask('join', { name: 'ana', clientId: 'tab-1' })).revision, 0);
    assert.deepEqual(await a.ask('op', { revision: 0, seq: 1, op: ['héllo 👋'] }), { ok: true, revision: 1 });
    a.socket.close();
    const b = await raw(server.url);
    const again = await b.ask('join', { name: 'ana', clientId: 'tab-1', revision: 0 });
    // The catch-up marks the page's own edit, so it knows it arrived.
    assert.deepEqual(again.ops, [{ revision: 1, op: ['héllo 👋'], mine: true, seq: 1 }]);
    assert.deepEqual(await b.ask('op', { revision: 0, seq: 1, op: ['héllo 👋'] }), { ok: true, revision: 1, repeat: true });
    assert.deepEqual(await b.ask('op', { revision: 1, seq: 2, op: [7, '!'] }), { ok: true, revision: 2 });
    b.socket.close();
    assert.deepEqual(await serverText(server.url), { text: 'héllo 👋!', revision: 2 });
  });
});

test('positions count code points: an emoji and an accent are one position each', async () => {
  await withServer({}, async (server) => {
    const a = await raw(server.url);
    await a.ask('join', { name: 'ana', clientId: 'cp' });
    await a.ask('op', { revision: 0, seq: 1, op: ['a👋é漢z'] });
    // Delete the emoji (position 1, length 1), insert after the accent (position 3).
    assert.equal((await a.ask('op', { revision: 1, seq: 2, op: [1, -1, 1, '🎉', 2] })).ok, true);
    a.socket.close();
    assert.equal((await serverText(server.url)).text, 'aé🎉漢z');
  });
});

test('a late joiner gets the text, the revision and who is there, with their cursor', async () => {
  await withServer({}, async (server) => {
    const ana = await DocsPeer.open(server.url, 'ana');
    ana.client.local(['hello']);
    await ana.until(() => ana.client.synchronized, 'ack');
    await ana.request('cursor', { revision: 1, from: 2, to: 4 });
    const late = await raw(server.url);
    const answer = await late.ask('join', { name: 'late', clientId: 'late' });
    assert.equal(answer.text, 'hello');
    assert.equal(answer.revision, 1);
    const names = answer.users.map((u) => u.name).sort();
    assert.deepEqual(names, ['ana', 'late']);
    const anaUser = answer.users.find((u) => u.name === 'ana');
    assert.deepEqual([anaUser.from, anaUser.to], [2, 4]);
    late.socket.close();
    ana.close();
  });
});

test('bad input gets a clear error and never harms the others', async () => {
  await withServer({ maxLength: 50, history: 3 }, async (server) => {
    const ana = await DocsPeer.open(server.url, 'ana');
    const bad = await raw(server.url);
    assert.equal((await bad.ask('op', { revision: 0, seq: 1, op: ['x'] })).error, 'bad-request', 'before joining');
    assert.equal((await bad.ask('join', { name: '', clientId: 'bad' })).error, 'bad-name');
    assert.equal((await bad.ask('join', { name: 'a\u0007b', clientId: 'bad' })).error, 'bad-name');
    assert.equal((await bad.ask('join', { name: 'x'.repeat(33), clientId: 'bad' })).error, 'bad-name');
    assert.equal((await bad.ask('join', { name: 'mallory' })).error, 'bad-request');
    assert.equal((await bad.ask('join', 'mallory')).error, 'bad-request');
    assert.equal((await bad.ask('join', { name: 'mallory', clientId: 'bad' })).ok, true);

    ana.client.local(['abc']);
    await ana.until(() => ana.client.synchronized, 'ack');
    const cases = [
      [{ revision: 1, seq: 1, op: 'abc' }, 'bad-op'],
      [{ revision: 1, seq: 1, op: [3, 0] }, 'bad-op'],
      [{ revision: 1, seq: 1, op: [3, ''] }, 'bad-op'],
      [{ revision: 1, seq: 1, op: [3, 1.5] }, 'bad-op'],
      [{ revision: 1, seq: 1, op: [3, null] }, 'bad-op'],
      [{ revision: 1, seq: 1, op: [4] }, 'bad-op'], // past the end
      [{ revision: 1, seq: 1, op: [-4] }, 'bad-op'],
      [{ revision: 1, seq: 1, op: [2] }, 'bad-op'], // short of the end
      [{ revision: 1, seq: 1, op: [1e300] }, 'bad-op'],
      [{ revision: 1, seq: 1, op: [Number.MAX_SAFE_INTEGER] }, 'bad-op'],
      [{ revision: 7, seq: 1, op: [3, 'x'] }, 'bad-revision'],
      [{ revision: -1, seq: 1, op: [3, 'x'] }, 'bad-request'],
      [{ revision: 1, seq: 0, op: [3, 'x'] }, 'bad-request'],
      [{ revision: 1, op: [3, 'x'] }, 'bad-request'],
      [{ revision: 1, seq: 1, op: [3, 'x'.repeat(48)] }, 'too-large'],
      [{ revision: 1, seq: 1, op: Array.from({ length: 20000 }, () => 'x') }, 'too-large'],
    ];
    for (const [req, error] of cases) {
      const answer = await bad.ask('op', req);
      assert.equal(answer.ok, false, JSON.stringify(req).slice(0, 80));
      assert.equal(answer.error, error, JSON.stringify(req).slice(0, 80));
      assert.equal(typeof answer.message, 'string');
    }
    assert.equal((await bad.ask('cursor', { revision: 1, from: 9, to: 9 })).ok, false);
    assert.equal((await bad.ask('cursor', { revision: 1, from: 'x' })).error, 'bad-request');

    // Ana keeps editing; once her edits push revision 1 out of the history
    // (3 kept), an edit made on it is refused as stale.
    for (const piece of ['d', 'e', 'f', 'g']) {
      ana.client.local([ana.client.text.length, piece].filter((x) => x !== 0));
      await ana.until(() => ana.client.synchronized, 'ack');
    }
    assert.equal((await bad.ask('op', { revision: 1, seq: 1, op: [3, 'x'] })).error, 'stale-revision');
    assert.deepEqual(ana.errors, []);
    assert.equal(ana.client.text, 'abcdefg');
    assert.deepEqual(await serverText(server.url), { text: 'abcdefg', revision: 5 });
    bad.socket.close();
    ana.close();
  });
});
