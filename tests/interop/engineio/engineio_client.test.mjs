// The official engine.io-client (npm, node) against the echo server, over each
// transport arrangement a client can choose: polling only, WebSocket only, and
// polling upgraded to WebSocket.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { engineIoEchoFixture } from '../lib/fixtures.mjs';
import {
  bytesOf,
  connectClient,
  stopAnsweringPings,
  waitClose,
  waitOpen,
  waitPings,
} from '../lib/eio-client.mjs';
import { nextEvent } from '../lib/wait.mjs';

const MODES = [
  { name: 'polling only', transports: ['polling'], first: 'polling', last: 'polling' },
  { name: 'WebSocket only', transports: ['websocket'], first: 'websocket', last: 'websocket' },
  { name: 'polling upgraded to WebSocket', transports: ['polling', 'websocket'], first: 'polling', last: 'websocket' },
];

// Reasons engine.io-client gives when the server ends a session: a close packet or
// a closed WebSocket ("transport close"), or a refused poll ("transport error").
const SERVER_CLOSE_REASONS = ['transport close', 'transport error'];

// Opens a client in `mode` and, for the upgrading mode, waits for the upgrade, so
// that the test body runs on the mode's final transport.
async function openClient(url, mode, t) {
  const socket = connectClient(url, { transports: mode.transports });
  t.after(() => socket.close());
  const upgraded = mode.first !== mode.last ? nextEvent(socket, 'upgrade', { failOn: ['upgradeError', 'close'] }) : null;
  await waitOpen(socket);
  assert.equal(socket.transport.name, mode.first);
  if (upgraded) {
    const [transport] = await upgraded;
    assert.equal(transport.name, 'websocket');
  }
  assert.equal(socket.transport.name, mode.last);
  return socket;
}

async function echo(socket, data) {
  socket.send(data);
  return socket.messages.next();
}

describe('with the protocol suite settings (300/200/1e6)', () => {
  const server = engineIoEchoFixture({ pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 });

  for (const mode of MODES) {
    describe(mode.name, () => {
      test('opens on the expected transport', async (t) => {
        const socket = await openClient(server.url, mode, t);
        assert.equal(socket.readyState, 'open');
        assert.equal(typeof socket.id, 'string');
      });

      test('echoes text, UTF-8 included', async (t) => {
        const socket = await openClient(server.url, mode, t);
        assert.equal(await echo(socket, 'hello'), 'hello');
        assert.equal(await echo(socket, 'héllo € 😀 日本'), 'héllo € 😀 日本');
        // An empty message travels as a bare "4"; engine.io-parser hands it out as
        // undefined.
        assert.equal((await echo(socket, '')) ?? '', '');
      });

      test('echoes binary: Buffer, ArrayBuffer and a typed-array view', async (t) => {
        const socket = await openClient(server.url, mode, t);
        const bytes = [0, 1, 2, 0x1e, 0x7f, 0x80, 0xfe, 0xff];
        assert.deepEqual(bytesOf(await echo(socket, Buffer.from(bytes))), bytes);
        assert.deepEqual(bytesOf(await echo(socket, Uint8Array.from(bytes).buffer)), bytes);
        const view = new Uint8Array([9, 9, ...bytes, 9]).subarray(2, 2 + bytes.length);
        assert.deepEqual(bytesOf(await echo(socket, view)), bytes);
      });

      test('echoes many messages sent in one tick, in order', async (t) => {
        const socket = await openClient(server.url, mode, t);
        const count = 50;
        // Count how many messages each poll response carries.
        const perPoll = [0];
        socket.on('message', () => perPoll[perPoll.length - 1]++);
        socket.transport.on('pollComplete', () => perPoll.push(0));
        let flushes = 0;
        socket.on('flush', () => flushes++);

        const sent = [];
        for (let i = 0; i < count; i++) {
          const message = i % 5 === 4 ? Buffer.from([i, 255 - i]) : `message ${i}`;
          sent.push(message);
          socket.send(message);
        }
        const received = await socket.messages.take(count);
        assert.deepEqual(
          received.map((m) => (typeof m === 'string' ? m : bytesOf(m))),
          sent.map((m) => (typeof m === 'string' ? m : [...m])),
        );
        if (mode.last === 'polling') {
          // The client packs the messages into few POSTs and the server must answer
          // with several packets per payload rather than one per poll.
          assert.ok(flushes < count, `the client sent ${flushes} payloads for ${count} messages`);
          assert.ok(Math.max(...perPoll) > 1, `poll responses carried ${perPoll.join(',')} messages`);
        }
      });

      test('echoes a large text and a large binary message', async (t) => {
        const socket = await openClient(server.url, mode, t);
        // Half the payload limit: several TCP segments and, over polling, a base64
        // body a third larger than the bytes.
        const text = 'é'.repeat(100000) + 'x'.repeat(200000);
        assert.equal(await echo(socket, text), text);
        const bytes = Buffer.alloc(300000);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
        assert.ok(Buffer.from(bytesOf(await echo(socket, bytes))).equals(bytes));
      });

      test('keeps the sessions of many clients apart', async (t) => {
        const sockets = await Promise.all(Array.from({ length: 20 }, () => openClient(server.url, mode, t)));
        assert.equal(new Set(sockets.map((s) => s.id)).size, sockets.length);
        const replies = await Promise.all(
          sockets.map(async (socket, i) => [await echo(socket, `client ${i}`), await echo(socket, `client ${i} again`)]),
        );
        replies.forEach((pair, i) => assert.deepEqual(pair, [`client ${i}`, `client ${i} again`]));
      });

      test('stays open across several ping periods', async (t) => {
        const socket = await openClient(server.url, mode, t);
        await waitPings(socket, socket.pings + 3);
        assert.equal(socket.readyState, 'open');
        assert.equal(await echo(socket, 'still here'), 'still here');
      });

      test('is closed by the server when it stops answering pings', async (t) => {
        const socket = await openClient(server.url, mode, t);
        stopAnsweringPings(socket);
        const pingsBefore = socket.pings;
        const { reason } = await waitClose(socket);
        assert.ok(socket.pings > pingsBefore, 'the server pinged before giving up');
        const allowed = mode.last === 'websocket' ? ['transport close'] : SERVER_CLOSE_REASONS;
        assert.ok(allowed.includes(reason), `close reason: ${reason}`);
      });
    });
  }

  test('messages sent while the upgrade is under way all arrive, in order', async (t) => {
    const socket = connectClient(server.url, { transports: ['polling', 'websocket'] });
    t.after(() => socket.close());
    const upgraded = nextEvent(socket, 'upgrade', { failOn: ['upgradeError', 'close'] });
    const sent = [];
    let i = 0;
    // Keep sending from the moment the session opens until the upgrade is done, so
    // messages cross the switch of transport.
    socket.on('open', () => {
      for (; i < 10; i++) {
        sent.push(`early ${i}`);
        socket.send(`early ${i}`);
      }
    });
    socket.on('upgrading', () => {
      sent.push('during');
      socket.send('during');
    });
    await waitOpen(socket);
    await upgraded;
    sent.push('after');
    socket.send('after');
    assert.deepEqual(await socket.messages.take(sent.length), sent);
    assert.equal(socket.transport.name, 'websocket');
  });
});

describe('with a 1000-byte payload limit', () => {
  const LIMIT = 1000;
  const server = engineIoEchoFixture({ pingInterval: 300, pingTimeout: 200, maxPayload: LIMIT });
  // The encoded packet is "4" + text, so LIMIT - 1 characters fill the limit.
  const atLimit = 'x'.repeat(LIMIT - 1);
  const overLimit = 'x'.repeat(LIMIT);

  for (const mode of MODES.filter((m) => m.first === m.last)) {
    describe(mode.name, () => {
      test('the handshake announces the limit', async (t) => {
        const socket = connectClient(server.url, { transports: mode.transports });
        t.after(() => socket.close());
        const [handshake] = await nextEvent(socket, 'handshake', { failOn: ['error', 'close'] });
        assert.equal(handshake.maxPayload, LIMIT);
      });

      test('a message of exactly the limit is echoed', async (t) => {
        const socket = await openClient(server.url, mode, t);
        assert.equal(await echo(socket, atLimit), atLimit);
      });

      test('a message over the limit ends the session', async (t) => {
        const socket = await openClient(server.url, mode, t);
        socket.send(overLimit);
        const { reason } = await waitClose(socket);
        // Over polling the server answers the POST 413 (and closes the session, so
        // the pending poll may get a close packet first); over WebSocket it closes
        // the connection.
        const allowed = mode.last === 'websocket' ? ['transport close'] : SERVER_CLOSE_REASONS;
        assert.ok(allowed.includes(reason), `close reason: ${reason}`);
        assert.deepEqual(socket.messages.items, [], 'nothing may be echoed');
      });
    });
  }
});
