// Engine.IO v4 over raw HTTP and raw WebSocket: the handshake's exact form, the
// refusals (status and JSON body exactly as the npm engine.io server sends them,
// see node_modules/engine.io/build/server.js), payload limits and binary packets.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { engineIoEchoFixture } from '../lib/fixtures.mjs';
import { eioUrl, heldRequest, httpFetch } from '../lib/http.mjs';
import { ENGINE_ERRORS, PollingSession, RawWebSocket, parseOpenPacket } from '../lib/eio-raw.mjs';

// Asserts an engine.io refusal: HTTP 400 with {"code":N,"message":"..."} as JSON.
function assertEngineError(res, error) {
  assert.equal(res.status, 400, `status (body ${res.text})`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(JSON.parse(res.text), error);
}

describe('with the protocol suite settings (300/200/1e6)', () => {
  const server = engineIoEchoFixture({ pingInterval: 300, pingTimeout: 200, maxPayload: 1000000 });
  const polling = (query = {}) => eioUrl(server.url, { EIO: 4, transport: 'polling', ...query });

  describe('handshake', () => {
    test('answers the open packet in engine.io form', async () => {
      const res = await httpFetch(polling());
      assert.equal(res.status, 200);
      assert.match(
        res.text,
        /^0\{"sid":"[^"]+","upgrades":\["websocket"\],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000\}$/,
      );
    });

    test('gives URL-safe, unguessable and distinct session ids', async () => {
      const sids = [];
      for (let i = 0; i < 20; i++) sids.push((await PollingSession.open(server.url)).sid);
      for (const sid of sids) {
        // engine.io: 15 random bytes in base64url, 20 characters.
        assert.match(sid, /^[A-Za-z0-9_-]{20,}$/, `sid ${sid}`);
      }
      assert.equal(new Set(sids).size, sids.length, 'every handshake gets its own sid');
    });
  });

  describe('refusals', () => {
    test('EIO=3 is an unsupported protocol version', async () => {
      assertEngineError(await httpFetch(polling({ EIO: 3 })), ENGINE_ERRORS.UNSUPPORTED_PROTOCOL_VERSION);
    });

    test('a missing or non-numeric EIO is an unsupported protocol version', async () => {
      // engine.io reads anything but "4" as protocol 3, which it does not allow.
      assertEngineError(await httpFetch(polling({ EIO: undefined })), ENGINE_ERRORS.UNSUPPORTED_PROTOCOL_VERSION);
      assertEngineError(await httpFetch(polling({ EIO: 'abc' })), ENGINE_ERRORS.UNSUPPORTED_PROTOCOL_VERSION);
    });

    test('a missing or unknown transport is refused', async () => {
      assertEngineError(await httpFetch(polling({ transport: undefined })), ENGINE_ERRORS.UNKNOWN_TRANSPORT);
      assertEngineError(await httpFetch(polling({ transport: 'flash' })), ENGINE_ERRORS.UNKNOWN_TRANSPORT);
    });

    test('an unknown sid is refused for GET and POST', async () => {
      assertEngineError(await httpFetch(polling({ sid: 'no-such-session' })), ENGINE_ERRORS.UNKNOWN_SID);
      assertEngineError(
        await httpFetch(polling({ sid: 'no-such-session' }), { method: 'POST', body: '4hello' }),
        ENGINE_ERRORS.UNKNOWN_SID,
      );
    });

    test('a handshake by POST or PUT is a bad handshake method', async () => {
      assertEngineError(await httpFetch(polling(), { method: 'POST', body: '4hello' }), ENGINE_ERRORS.BAD_HANDSHAKE_METHOD);
      assertEngineError(await httpFetch(polling(), { method: 'PUT', body: '4hello' }), ENGINE_ERRORS.BAD_HANDSHAKE_METHOD);
    });

    test('a plain GET asking for the websocket transport is a bad request', async () => {
      assertEngineError(await httpFetch(polling({ transport: 'websocket' })), ENGINE_ERRORS.BAD_REQUEST);
    });

    test('a polling session asked for with another transport or protocol is a bad request', async () => {
      const session = await PollingSession.open(server.url);
      assertEngineError(await httpFetch(polling({ sid: session.sid, transport: 'websocket' })), ENGINE_ERRORS.BAD_REQUEST);
      assertEngineError(await httpFetch(polling({ sid: session.sid, EIO: 3 })), ENGINE_ERRORS.BAD_REQUEST);
      // Neither refusal ends the session.
      assert.equal((await session.post('4still here')).status, 200);
      assert.deepEqual((await session.pollSkippingPings()).packets, ['4still here']);
    });

    test('a closed session asked for with another transport is an unknown sid', async () => {
      // engine.io looks the sid up before it compares transports; the protocol
      // suites wait on this answer to know a session timed out without polling it.
      const session = await PollingSession.open(server.url);
      assert.equal((await session.post('1')).status, 200);
      assertEngineError(await httpFetch(polling({ sid: session.sid, transport: 'websocket' })), ENGINE_ERRORS.UNKNOWN_SID);
    });

    test('a WebSocket upgrade with an unknown sid is answered 400', async () => {
      const ws = RawWebSocket.at(server.url, { EIO: 4, transport: 'websocket', sid: 'no-such-session' });
      await ws.waitClose();
      assert.equal(ws.refused?.status, 400, 'the upgrade request must not be accepted');
    });

    test('a WebSocket upgrade with an unknown transport is answered 400', async () => {
      const ws = RawWebSocket.at(server.url, { EIO: 4, transport: 'flash' });
      await ws.waitClose();
      assert.equal(ws.refused?.status, 400, 'the upgrade request must not be accepted');
    });
  });

  describe('polling data', () => {
    test('a POST is answered 200 "ok"', async () => {
      const session = await PollingSession.open(server.url);
      const res = await session.post('4hello');
      assert.equal(res.status, 200);
      assert.equal(res.text, 'ok');
    });

    test('responses are UTF-8 text that must not be cached', async () => {
      // engine.io sends "cache-control: no-store" on every polling response so no
      // browser or proxy replays a poll; payloads are text/plain in UTF-8.
      const handshake = await httpFetch(polling());
      const session = new PollingSession(server.url, parseOpenPacket(handshake.text));
      const post = await session.post('4cache?');
      const poll = await session.get();
      for (const [what, res] of [['handshake', handshake], ['POST', post], ['poll', poll]]) {
        assert.equal(res.status, 200, what);
        assert.equal(res.headers.get('cache-control'), 'no-store', `${what} cache-control`);
      }
      for (const [what, res] of [['handshake', handshake], ['poll', poll]]) {
        assert.match(res.headers.get('content-type') ?? '', /^text\/plain; ?charset=utf-8$/i, `${what} content-type`);
      }
    });

    test('empty messages survive inside a payload', async () => {
      const session = await PollingSession.open(server.url);
      assert.equal((await session.post('4\x1e4a\x1e4')).status, 200);
      assert.deepEqual((await session.pollSkippingPings()).packets, ['4', '4a', '4']);
    });

    test('UTF-8 text keeps its characters both ways', async () => {
      const session = await PollingSession.open(server.url);
      const texts = ['4héllo', '4€ and 😀', '4日本語'];
      assert.equal((await session.post(texts.join('\x1e'))).status, 200);
      assert.deepEqual((await session.pollSkippingPings()).packets, texts);
    });

    test('binary goes both ways as "b" + base64', async () => {
      const session = await PollingSession.open(server.url);
      const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x1e, 0x80]);
      const packet = `b${bytes.toString('base64')}`;
      assert.equal((await session.post(packet)).status, 200);
      assert.deepEqual((await session.pollSkippingPings()).packets, [packet]);
    });

    test('a chunked POST body is accepted', async () => {
      const session = await PollingSession.open(server.url);
      const post = heldRequest(session.url(), { method: 'POST', body: '4chunked ', unfinished: true });
      await post.sent;
      post.finish('body');
      const res = await post.response;
      assert.equal(res.status, 200);
      assert.equal(res.text, 'ok');
      assert.deepEqual((await session.pollSkippingPings()).packets, ['4chunked body']);
    });

    test('a second POST while one is still arriving is refused with 400 and ends the session', async () => {
      // Spec: a client MUST NOT have more than one active POST; the server MUST
      // answer 400 and close the session. engine.io knows a POST is active from its
      // headers on, and resets the first one when it closes the session.
      const session = await PollingSession.open(server.url);
      const first = session.holdPost('4first ');
      await first.sent;
      const second = await session.post('4second');
      assert.equal(second.status, 400, `second POST answered ${second.status} ${second.text}`);
      first.finish('part');
      await first.response.catch(() => {});
      assertEngineError(await session.get(), ENGINE_ERRORS.UNKNOWN_SID);
    });

    test('a ping from the client ends the session (in v4 only the server pings)', async () => {
      // engine.io: "invalid heartbeat direction" closes the session.
      const session = await PollingSession.open(server.url);
      await session.post('2').catch(() => {});
      assertEngineError(await session.get(), ENGINE_ERRORS.UNKNOWN_SID);
    });

    test('a POST with a binary content type is refused and ends the session', async () => {
      // Protocol v4 payloads are always text; engine.io refuses an
      // application/octet-stream body with 400 (empty body) and closes the session.
      const session = await PollingSession.open(server.url);
      const res = await session.post('4hello', { headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(res.status, 400);
      assertEngineError(await session.get(), ENGINE_ERRORS.UNKNOWN_SID);
    });

    test('a session closed by an invalid packet is unknown afterwards', async () => {
      const session = await PollingSession.open(server.url);
      await session.post('abc').catch(() => {}); // engine.io answers "ok", see protocol_suite
      assertEngineError(await session.get(), ENGINE_ERRORS.UNKNOWN_SID);
    });
  });

  describe('WebSocket data', () => {
    test('a ping from the client closes the connection (in v4 only the server pings)', async () => {
      const ws = RawWebSocket.at(server.url, { EIO: 4, transport: 'websocket' });
      parseOpenPacket(await ws.next());
      ws.answerPings(); // so that only the client's ping can end the session early
      ws.send('2');
      await ws.waitClose();
    });

    test('text frames keep UTF-8 and binary frames stay binary', async () => {
      const ws = RawWebSocket.at(server.url, { EIO: 4, transport: 'websocket' });
      try {
        parseOpenPacket(await ws.next());
        ws.send('4€ and 😀');
        ws.send(Buffer.from([0xff, 0x00, 0x1e]));
        ws.send('4after');
        assert.equal(await ws.nextSkippingPings(), '4€ and 😀');
        assert.deepEqual([...(await ws.nextSkippingPings())], [0xff, 0x00, 0x1e]);
        assert.equal(await ws.nextSkippingPings(), '4after');
      } finally {
        ws.destroy();
      }
    });
  });
});

describe('with a 1000-byte payload limit', () => {
  const LIMIT = 1000;
  const server = engineIoEchoFixture({ pingInterval: 300, pingTimeout: 200, maxPayload: LIMIT });

  test('the handshake announces the limit', async () => {
    const session = await PollingSession.open(server.url);
    assert.equal(session.handshake.maxPayload, LIMIT);
  });

  test('a POST body of exactly the limit is accepted and echoed', async () => {
    const session = await PollingSession.open(server.url);
    const packet = `4${'x'.repeat(LIMIT - 1)}`;
    assert.equal((await session.post(packet)).status, 200);
    assert.deepEqual((await session.pollSkippingPings()).packets, [packet]);
  });

  test('a POST body over the limit is answered 413 and ends the session', async () => {
    const session = await PollingSession.open(server.url);
    const res = await session.post(`4${'x'.repeat(LIMIT)}`);
    assert.equal(res.status, 413);
    assertEngineError(await session.get(), ENGINE_ERRORS.UNKNOWN_SID);
  });

  test('a WebSocket message of exactly the limit is echoed', async () => {
    const ws = RawWebSocket.at(server.url, { EIO: 4, transport: 'websocket' });
    try {
      parseOpenPacket(await ws.next());
      const packet = `4${'x'.repeat(LIMIT - 1)}`;
      ws.send(packet);
      assert.equal(await ws.nextSkippingPings(), packet);
      ws.send(Buffer.alloc(LIMIT, 7));
      assert.deepEqual(await ws.nextSkippingPings(), Buffer.alloc(LIMIT, 7));
    } finally {
      ws.destroy();
    }
  });

  test('a WebSocket message over the limit closes the connection with 1009', async () => {
    const ws = RawWebSocket.at(server.url, { EIO: 4, transport: 'websocket' });
    parseOpenPacket(await ws.next());
    ws.send(`4${'x'.repeat(LIMIT)}`);
    const { code } = await ws.waitClose();
    assert.equal(code, 1009, 'RFC 6455: message too big');
  });
});
