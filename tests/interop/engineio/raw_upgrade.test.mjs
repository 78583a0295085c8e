// The polling → WebSocket upgrade driven by hand (2probe / 3probe / noop 6 / 5), and
// what the server does with the session's old transport afterwards. Expectations
// follow the npm engine.io server (build/server.js onWebSocket, build/socket.js
// _maybeUpgrade).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { engineIoEchoFixture } from '../lib/fixtures.mjs';
import { eioUrl, httpFetch } from '../lib/http.mjs';
import {
  ENGINE_ERRORS,
  PollingSession,
  RawWebSocket,
  splitPayload,
  upgradeWhilePolling,
} from '../lib/eio-raw.mjs';

// Awaits a held poll's answer; if the server's heartbeat got there first (a lone
// ping), answers it and polls again. Resolves with the packets of the answer.
async function packetsOfPoll(session, held) {
  let res = await held.response;
  for (;;) {
    assert.equal(res.status, 200, `poll answered ${res.status}: ${res.text}`);
    const packets = splitPayload(res.text).filter((p) => p !== '2');
    if (packets.length) return packets;
    assert.equal((await session.post('3')).status, 200);
    res = await session.get();
  }
}

// These tests leave the polling transport idle while they upgrade, as a test may;
// a ping interval longer than any test keeps the heartbeat out of their way.
describe('with a heartbeat slower than the tests (pingInterval 20 s)', () => {
  const server = engineIoEchoFixture({ pingInterval: 20000, pingTimeout: 20000, maxPayload: 1000000 });
  const probeSocket = (session) => RawWebSocket.at(server.url, { EIO: 4, transport: 'websocket', sid: session.sid });

  // Probes and completes the upgrade without polling.
  async function upgradeIdle(session, ws) {
    await ws.waitOpen();
    ws.send('2probe');
    assert.equal(await ws.next(), '3probe');
    ws.send('5');
  }

  test('a poll pending when the probe arrives is released with a noop, then the upgrade completes', async () => {
    const session = await PollingSession.open(server.url);
    const poll = session.hold();
    await poll.sent;
    const ws = probeSocket(session);
    try {
      await ws.waitOpen();
      ws.send('2probe');
      assert.equal(await ws.next(), '3probe');
      assert.deepEqual(await packetsOfPoll(session, poll), ['6']);
      ws.send('5');
      ws.send('4over websocket');
      assert.equal(await ws.next(), '4over websocket');
    } finally {
      ws.destroy();
    }
  });

  test('packets waiting for a poll are delivered over the WebSocket after the upgrade', async () => {
    const session = await PollingSession.open(server.url);
    // Echoes that no poll collects before the upgrade.
    assert.equal((await session.post('4one\x1e4two\x1e4three')).status, 200);
    const ws = probeSocket(session);
    try {
      await upgradeIdle(session, ws);
      ws.send('4four');
      assert.deepEqual(await ws.messages.take(4), ['4one', '4two', '4three', '4four']);
    } finally {
      ws.destroy();
    }
  });

  test('binary posted over polling is decoded: after the upgrade it comes back as a binary frame', async () => {
    const session = await PollingSession.open(server.url);
    assert.equal((await session.post('bAQIDBA==')).status, 200);
    const ws = probeSocket(session);
    try {
      await upgradeIdle(session, ws);
      const echoed = await ws.next();
      assert.ok(Buffer.isBuffer(echoed), `expected a binary frame, got ${JSON.stringify(echoed)}`);
      assert.deepEqual([...echoed], [1, 2, 3, 4]);
    } finally {
      ws.destroy();
    }
  });

  test('after the upgrade, HTTP requests with the sid are bad requests and a second WebSocket is closed', async () => {
    const session = await PollingSession.open(server.url);
    const ws = probeSocket(session);
    try {
      await upgradeIdle(session, ws);
      // The echo over the WebSocket proves the server has switched transports.
      ws.send('4switched');
      assert.equal(await ws.next(), '4switched');

      // engine.io: the session's transport is now websocket, so a polling request
      // (not an upgrade) is a transport mismatch: 400, code 3.
      const get = await httpFetch(session.url());
      assert.equal(get.status, 400);
      assert.deepEqual(JSON.parse(get.text), ENGINE_ERRORS.BAD_REQUEST);
      const post = await httpFetch(session.url(), { method: 'POST', body: '4sneaky' });
      assert.equal(post.status, 400);
      assert.deepEqual(JSON.parse(post.text), ENGINE_ERRORS.BAD_REQUEST);

      // A second WebSocket for the session is closed without any packet (engine.io
      // accepts its WebSocket handshake, then closes it; refusing the handshake
      // outright satisfies the protocol as well).
      const second = probeSocket(session);
      await second.waitClose();
      assert.deepEqual(second.messages.items, []);

      // Neither touched the upgraded session.
      ws.send('4still mine');
      assert.equal(await ws.next(), '4still mine');
    } finally {
      ws.destroy();
    }
  });

  test('a second WebSocket while an upgrade is in progress is closed, and the first completes', async () => {
    const session = await PollingSession.open(server.url);
    const ws = probeSocket(session);
    try {
      await ws.waitOpen();
      ws.send('2probe');
      assert.equal(await ws.next(), '3probe');
      const second = probeSocket(session);
      await second.waitClose();
      assert.deepEqual(second.messages.items, []);
      ws.send('5');
      ws.send('4first wins');
      assert.equal(await ws.next(), '4first wins');
    } finally {
      ws.destroy();
    }
  });

  test('a WebSocket that sends anything but the probe is closed and polling carries on', async () => {
    const session = await PollingSession.open(server.url);
    const ws = probeSocket(session);
    await ws.waitOpen();
    ws.send('4not a probe');
    await ws.waitClose();
    assert.equal((await session.post('4polling lives')).status, 200);
    assert.deepEqual(await packetsOfPoll(session, session.hold()), ['4polling lives']);
  });

  test('polling with the sid of a WebSocket-only session is a bad request', async () => {
    const ws = RawWebSocket.at(server.url, { EIO: 4, transport: 'websocket' });
    try {
      const { sid } = JSON.parse((await ws.next()).slice(1));
      const res = await httpFetch(eioUrl(server.url, { EIO: 4, transport: 'polling', sid }));
      assert.equal(res.status, 400);
      assert.deepEqual(JSON.parse(res.text), ENGINE_ERRORS.BAD_REQUEST);
    } finally {
      ws.destroy();
    }
  });
});

describe('with the protocol suite settings (300/200/1e6)', () => {
  const server = engineIoEchoFixture({ pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 });

  test('an upgrade completes while the heartbeat runs over polling, and the heartbeat moves to the WebSocket', async () => {
    const session = await PollingSession.open(server.url);
    const ws = RawWebSocket.at(server.url, { EIO: 4, transport: 'websocket', sid: session.sid });
    try {
      await upgradeWhilePolling(session, ws);
      ws.pongs = false; // count the pings from here on
      for (let i = 0; i < 3; i++) {
        assert.equal(await ws.next(), '2');
        ws.send('3');
      }
      ws.send('4alive');
      assert.equal(await ws.nextSkippingPings(), '4alive');
    } finally {
      ws.destroy();
    }
  });
});
