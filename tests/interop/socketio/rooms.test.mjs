// Rooms and broadcasting with three and more official clients: to, except,
// several rooms without duplicates, socket.broadcast, io.emit, acks gathered
// from every client, fetch_sockets, sockets_join / sockets_leave and
// disconnect_sockets. With --threads 2 the clients are spread over both loops.
//
// A client that must not receive something is checked without waiting: every
// scenario ends with an "end" event to everyone, and a connection delivers in
// order, so what came before "end" is all that came.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ask, connect, forEachSetup, nextEvent } from './helpers.mjs';

// The tags of the "ev" events `s` received up to the "end" tag.
async function tagsUntilEnd(s) {
  const tags = [];
  for (;;) {
    const [tag] = await s.recorded.ev.next();
    if (tag === 'end') return tags;
    tags.push(tag);
  }
}

async function endScenario(sender, clients) {
  await ask(sender, 'emit-to', { event: 'ev' }, 'end');
  return Promise.all(clients.map(tagsUntilEnd));
}

forEachSetup((server, mode) => {
  // a in r1; b in r1 and r2; c in r2; d in no room
  async function clients(t) {
    const [a, b, c, d] = await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) => connect(t, server.url, { mode, record: ['ev'], query: { name } })),
    );
    await ask(a, 'join', 'r1');
    await ask(b, 'join', ['r1', 'r2']);
    await ask(c, 'join', 'r2');
    return { a, b, c, d, all: [a, b, c, d] };
  }

  test('rooms(): own id room and joined rooms', async (t) => {
    const { b } = await clients(t);
    assert.deepEqual((await ask(b, 'rooms'))[0].sort(), [b.id, 'r1', 'r2'].sort());
    assert.deepEqual((await ask(b, 'leave', 'r1'))[0].sort(), [b.id, 'r2'].sort());
  });

  test('to, except, several rooms without duplicates', async (t) => {
    const { a, b, c, d, all } = await clients(t);
    await ask(a, 'emit-to', { event: 'ev', to: 'r1' }, 1);
    await ask(a, 'emit-to', { event: 'ev', to: ['r1', 'r2'] }, 2);
    await ask(a, 'emit-to', { event: 'ev', to: 'r2', except: 'r1' }, 3);
    await ask(a, 'emit-to', { event: 'ev', except: ['r2', a.id] }, 4);
    await ask(a, 'emit-to', { event: 'ev', to: [d.id, c.id] }, 5);
    assert.deepEqual(await endScenario(a, all), [[1, 2], [1, 2], [2, 3, 5], [4, 5]]);
    void b;
  });

  test('socket.broadcast reaches everyone but the sender; io.emit everyone', async (t) => {
    const { a, all } = await clients(t);
    await ask(a, 'broadcast', { event: 'ev' }, 'b');
    await ask(a, 'emit-to', { event: 'ev' }, 'all');
    assert.deepEqual(await endScenario(a, all), [['all'], ['b', 'all'], ['b', 'all'], ['b', 'all']]);
  });

  test('acks from every client of a broadcast are gathered', async (t) => {
    const { a, b, c, d } = await clients(t);
    for (const s of [a, b, c, d]) s.on('q', (x, cb) => cb(`${s.io.opts.query.name}:${x}`));
    const [err, count, ...replies] = await ask(a, 'broadcast-ack', { event: 'q', to: 'r2', timeout: 5000 }, 'x');
    assert.equal(err, null);
    assert.equal(count, 2);
    assert.deepEqual(replies.sort(), ['b:x', 'c:x']);
  });

  test('a broadcast ack times out with the answers that came', async (t) => {
    const { a, b, c } = await clients(t);
    b.on('q', (cb) => cb('b'));
    c.on('q', () => {}); // never answers
    const [err, count, ...replies] = await ask(a, 'broadcast-ack', { event: 'q', to: 'r2', timeout: 300 });
    assert.equal(err, 'operation has timed out');
    assert.equal(count, 1);
    assert.deepEqual(replies, ['b']);
  });

  test('fetch_sockets sees rooms, data and handshake of every matching socket', async (t) => {
    const { a, b, c } = await clients(t);
    await ask(b, 'set-data', { role: 'admin' });
    const [err, list] = await ask(a, 'fetch', { to: 'r2' });
    assert.equal(err, null);
    list.sort((x, y) => (x.id === b.id ? -1 : 1));
    assert.deepEqual(list.map((s) => s.id), [b.id, c.id]);
    assert.deepEqual(list[0].rooms.sort(), [b.id, 'r1', 'r2'].sort());
    assert.deepEqual(list[0].data, { role: 'admin' });
    assert.equal(list[1].data, null);
    const [, everyone] = await ask(a, 'fetch', {});
    assert.ok(everyone.length >= 4);
  });

  test('sockets_join and sockets_leave by room', async (t) => {
    const { a, b, c, d, all } = await clients(t);
    await ask(a, 'sockets-join', { to: 'r2', rooms: ['r9'] });
    await ask(a, 'emit-to', { event: 'ev', to: 'r9' }, 9);
    await ask(a, 'sockets-leave', { to: 'r9', except: c.id, rooms: 'r9' });
    await ask(a, 'emit-to', { event: 'ev', to: 'r9' }, 10);
    assert.deepEqual(await endScenario(a, all), [[], [9], [9, 10], []]);
    void b;
    void d;
  });

  test('disconnect_sockets by room', async (t) => {
    const { a, b, c, d } = await clients(t);
    const gone = [b, c].map((s) => nextEvent(s, 'disconnect'));
    await ask(a, 'disconnect-sockets', { to: 'r2' });
    assert.deepEqual(await Promise.all(gone), [['io server disconnect', undefined], ['io server disconnect', undefined]]);
    assert.ok(a.connected && d.connected);
    assert.deepEqual(await ask(d, 'ack', 'still here'), ['still here']);
  });
});
