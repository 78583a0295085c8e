// Connection state recovery (socketio-echo --recovery) with the official
// socket.io-client: a client whose transport is cut comes back with its id,
// rooms and data, and gets what it missed (binary too) once and in order,
// before "connect"; it does not after the window has passed, after its own
// disconnect() or after the server's; middlewares are skipped or run.
//
// The client's transport is cut with socket.io.engine.close(); the missed
// events are sent once the server has noticed (its "sockets" list no longer
// holds the client's id), then the client connects again.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { ask, bytes, MODES, nextEvent, programFixture, THREADS, withTimeout } from './helpers.mjs';
import { EventQueue } from '../lib/wait.mjs';

// A socket.io-client socket that reconnects only when told to (connect()).
async function open(t, url, mode, opts = {}) {
  const socket = io(url, { transports: MODES[mode], forceNew: true, reconnection: false, ...opts });
  t.after(() => socket.disconnect());
  socket.bcast = new EventQueue(socket, 'bcast');
  await nextEvent(socket, 'connect', { failOn: ['connect_error'] });
  return socket;
}

// Until the server no longer lists `id` among its connected sockets (a
// bounded wait on the server's state: each round is an acknowledged request).
async function untilGone(asker, id) {
  await withTimeout(
    (async () => {
      for (;;) {
        const [ids] = await ask(asker, 'sockets');
        if (!ids.includes(id)) return;
      }
    })(),
    5000,
    `the server to drop ${id}`,
  );
}

// The "bcast" arguments `s` receives up to (and with) the one whose first argument is `last`.
async function bcastUntil(s, last) {
  const got = [];
  for (;;) {
    const args = await s.bcast.next();
    got.push(args);
    if (args[0] === last) return got;
  }
}

// Cuts `a`'s transport and waits until the server has let the socket go.
async function cut(a, b) {
  const id = a.id;
  const gone = nextEvent(a, 'disconnect');
  a.io.engine.close();
  await gone;
  await untilGone(b, id);
}

async function reconnect(a) {
  const connected = nextEvent(a, 'connect', { failOn: ['connect_error'] });
  a.connect();
  await connected;
}

for (const threads of THREADS) {
  describe(`--threads ${threads}`, () => {
    const server = programFixture('socketio-echo', ['--threads', String(threads), '--recovery']);
    const runs = programFixture('socketio-echo', ['--threads', String(threads), '--recovery', '--recovery-run-middlewares']);
    const short = programFixture('socketio-echo', ['--threads', String(threads), '--recovery', '--recovery-window-ms', '200']);

    for (const mode of ['websocket', 'polling']) {
      describe(mode, () => {
        test('recovered after a transport close: id, rooms, data, and missed events once and in order', async (t) => {
          const a = await open(t, server.url, mode);
          const b = await open(t, server.url, mode);
          assert.equal(a.recovered, false);
          assert.equal(typeof a._pid, 'string');  // the CONNECT answer carried a pid
          assert.equal(a._pid.length, 20);
          await ask(a, 'join', 'r1');
          await ask(a, 'set-data', { name: 'alice', n: 1 });
          const before = (await ask(a, 'state'))[0];
          b.emit('bcast', 'first');
          const [first] = await bcastUntil(a, 'first');
          assert.equal(first.length, 2);  // the offset came as the last argument
          assert.equal(typeof first[1], 'string');

          const id = a.id;
          await cut(a, b);
          b.emit('bcast', 'm1');
          b.emit('bcast', 'bin', Buffer.from([1, 2, 3]));
          b.emit('to-room', 'r1', 'bcast', 'room-only');
          b.emit('to-room', 'elsewhere', 'bcast', 'not-for-a');
          b.emit('bcast', 'm2');
          await bcastUntil(b, 'm2');  // the server has handled them all

          const order = [];
          a.on('bcast', (tag) => order.push(tag));
          a.once('connect', () => order.push('connect'));
          await reconnect(a);
          assert.equal(a.recovered, true);
          assert.equal(a.id, id);
          b.emit('bcast', 'end');
          const missed = await bcastUntil(a, 'end');
          assert.deepEqual(
            missed.map((args) => args[0]),
            ['m1', 'bin', 'room-only', 'm2', 'end'],
          );
          assert.deepEqual(bytes(missed[1][1]), [1, 2, 3]);
          // replayed before "connect" (socket.io-client holds them until CONNECT)
          assert.deepEqual(order, ['m1', 'bin', 'room-only', 'm2', 'connect', 'end']);
          const offsets = missed.map((args) => args[args.length - 1]);
          assert.equal(new Set(offsets).size, offsets.length);

          const [state] = await ask(a, 'state');
          assert.equal(state.recovered, true);
          assert.equal(state.id, id);
          assert.deepEqual(state.rooms.sort(), [id, 'r1'].sort());
          assert.deepEqual(state.data, { name: 'alice', n: 1 });
          assert.equal(state.middleware_runs, before.middleware_runs);  // skipped: the default
        });

        test('recovered twice in a row, each time with only what was missed', async (t) => {
          const a = await open(t, server.url, mode);
          const b = await open(t, server.url, mode);
          b.emit('bcast', 'r0');
          await bcastUntil(a, 'r0');
          for (const round of [1, 2]) {
            await cut(a, b);
            b.emit('bcast', `missed-${round}`);
            await bcastUntil(b, `missed-${round}`);
            await reconnect(a);
            assert.equal(a.recovered, true);
            b.emit('bcast', `end-${round}`);
            const got = await bcastUntil(a, `end-${round}`);
            assert.deepEqual(got.map((args) => args[0]), [`missed-${round}`, `end-${round}`]);
          }
        });

        test('not recovered after its own disconnect()', async (t) => {
          const a = await open(t, server.url, mode);
          const b = await open(t, server.url, mode);
          b.emit('bcast', 'x');
          await bcastUntil(a, 'x');
          const id = a.id;
          a.disconnect();
          await untilGone(b, id);
          await reconnect(a);
          assert.equal(a.recovered, false);
          assert.notEqual(a.id, id);
        });

        test('not recovered after a disconnect by the server', async (t) => {
          const a = await open(t, server.url, mode);
          const b = await open(t, server.url, mode);
          b.emit('bcast', 'x');
          await bcastUntil(a, 'x');
          const id = a.id;
          const gone = nextEvent(a, 'disconnect');
          a.emit('server-disconnect');
          assert.deepEqual((await gone)[0], 'io server disconnect');
          await untilGone(b, id);
          await reconnect(a);
          assert.equal(a.recovered, false);
          assert.notEqual(a.id, id);
        });

        test('not recovered once the window has passed', async (t) => {
          const a = await open(t, short.url, mode);
          const b = await open(t, short.url, mode);
          b.emit('bcast', 'x');
          await bcastUntil(a, 'x');
          const id = a.id;
          await cut(a, b);
          // The condition under test is time itself: 3 windows (200 ms each) pass.
          await new Promise((resolve) => setTimeout(resolve, 600));
          await reconnect(a);
          assert.equal(a.recovered, false);
          assert.notEqual(a.id, id);
        });

        test('middlewares run for a recovered socket when configured so', async (t) => {
          const a = await open(t, runs.url, mode);
          const b = await open(t, runs.url, mode);
          b.emit('bcast', 'x');
          await bcastUntil(a, 'x');
          const [before] = await ask(a, 'state');
          await cut(a, b);
          await reconnect(a);
          assert.equal(a.recovered, true);
          const [after] = await ask(a, 'state');
          assert.ok(after.middleware_runs > before.middleware_runs);
        });
      });
    }
  });
}
