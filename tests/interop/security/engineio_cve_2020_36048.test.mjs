// engine.io CVE-2020-36048 (fixed in engine.io 3.6.0 / 4.0.0, commit 734f9d1
// "set default maxHttpBufferSize to 1e6"): a single large packet made the
// server buffer up to 100 MB (the old default) and exhausted its memory.
//
// Our servers must default to 1e6 bytes, like engine.io since the fix, and
// refuse anything larger without buffering it: HTTP 413 for a polling body
// (the session ends, as engine.io's onError), WebSocket close 1009 (RFC 6455
// "message too big") for a message. "Without buffering" is checked by
// declaring sizes we never send: a Content-Length of 2 GB, a chunked body cut
// off past the limit, a frame header announcing 1 TiB. The refusal must come
// while the rest is still unsent (bounded waits, no timing assertion). (For
// the announced 2 GB body this is stricter than engine.io 6.6, which waits
// for the body and refuses once the bytes received pass the limit.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RawConnection, clientFrame, describeBytes, requestHead } from './lib/raw.mjs';
import { RawWsPeer } from './lib/raw-ws.mjs';
import { openPolling, replay, serverFixture } from './lib/servers.mjs';

const ONE_MB = 1000000; // engine.io's maxHttpBufferSize default since the fix

// The limit each server runs with in these tests: the default for the
// Socket.IO echo server and for the Engine.IO suite settings; sio-chat's is
// derived from its upload limit (2 x 1 MiB + 64 KiB, apps/sio-chat/main.cpp).
const LIMITS = {
  'socketio-echo': ONE_MB,
  'engineio-echo': ONE_MB,
  'sio-chat': 2 * 1048576 + 65536,
};

// A POST on the session's polling URL whose body is announced, not sent.
async function postHead(server, sid, headers) {
  const conn = await RawConnection.open(server.port);
  const target = `${server.enginePath}?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`;
  await conn.write(requestHead('POST', target, [['Host', `127.0.0.1:${server.port}`], ['Content-Type', 'text/plain;charset=UTF-8'], ...headers]));
  return conn;
}

// The session is over: engine.io forgets it once a body was too large.
async function assertSessionEnded(session) {
  const res = await session.poll();
  assert.equal(res.status, 400, `poll after the refusal: ${res.status} ${res.text}`);
  assert.deepEqual(JSON.parse(res.text), { code: 1, message: 'Session ID unknown' });
}

// A masked WebSocket frame header announcing `length` payload bytes, with no
// payload behind it (default: a final text frame; 0x80: a final continuation).
// The server must decide from the header alone: an over-long frame is refused
// before its payload, and the test never writes bytes the server will not
// read (a server closing on unread input resets TCP, and a Node socket whose
// write fails drops what it had not read yet: the close frame).
function announcedFrame(length, first = 0x81) {
  const head = Buffer.alloc(14);
  head[0] = first;
  head[1] = 0x80 | 127;
  head.writeBigUInt64BE(BigInt(length), 2);
  return head; // bytes 10..13: the mask key (zeros)
}

async function assertClosedWith1009(peer) {
  const { code } = await peer.waitClosed();
  assert.equal(code, 1009, `close code (RFC 6455: message too big); received ${peer.describe()}`);
}

for (const [kind, limit] of Object.entries(LIMITS)) {
  describe(kind, () => {
    const server = serverFixture(kind);

    test(`the handshake announces maxPayload ${limit}`, () =>
      replay(server, async () => {
        const res = await fetch(new URL(`${server.enginePath}?EIO=4&transport=polling`, server.url));
        const open = JSON.parse((await res.text()).slice(1));
        assert.equal(open.maxPayload, limit);
      }));

    test('polling: a body announced as 2 GB is refused 413 before any of it is sent, and the session ends', () =>
      replay(server, async () => {
        const session = await openPolling(server);
        const conn = await postHead(server, session.sid, [['Content-Length', '2000000000']]);
        try {
          const res = await conn.response();
          assert.equal(res.status, 413, `answered ${res.status} ${res.body}`);
        } finally {
          conn.destroy();
        }
        await assertSessionEnded(session);
      }));

    test('polling: a chunked body is refused 413 once past the limit, while the request is still open', () =>
      replay(server, async () => {
        const session = await openPolling(server);
        const conn = await postHead(server, session.sid, [['Transfer-Encoding', 'chunked']]);
        try {
          const chunk = Buffer.from(`10000\r\n${'4'.repeat(0x10000)}\r\n`, 'latin1'); // 64 KiB
          let sent = 0;
          while (sent <= limit && !conn.ended && conn.data.length === 0) {
            await conn.write(chunk);
            sent += 0x10000;
          }
          // no last chunk: the request never ends, only the refusal can
          const res = await conn.response();
          assert.equal(res.status, 413, `answered ${res.status} ${res.body} after ${sent} bytes`);
          assert.ok(sent > limit, `refused after only ${sent} bytes of ${limit}`);
        } finally {
          conn.destroy();
        }
        await assertSessionEnded(session);
      }));

    test('WebSocket: a frame announcing 1 TiB is closed with 1009 before its payload', () =>
      replay(server, async () => {
        const peer = await RawWsPeer.engineIo(server.port, server.enginePath);
        try {
          await peer.conn.write(announcedFrame(2 ** 40));
          await assertClosedWith1009(peer);
        } finally {
          peer.destroy();
        }
      }));

    test('WebSocket: a frame announcing one byte over the limit is closed with 1009 before its payload', () =>
      replay(server, async () => {
        const peer = await RawWsPeer.engineIo(server.port, server.enginePath);
        try {
          await peer.conn.write(Buffer.concat([announcedFrame(limit + 1), Buffer.from('4xxxx')]));
          await assertClosedWith1009(peer);
        } finally {
          peer.destroy();
        }
      }));

    test('WebSocket: fragments adding up to one byte over the limit are closed with 1009', () =>
      replay(server, async () => {
        const peer = await RawWsPeer.engineIo(server.port, server.enginePath);
        try {
          const piece = Buffer.alloc(0x10000, 'x');
          await peer.conn.write(clientFrame(0x01, Buffer.concat([Buffer.from('4'), piece]))); // text, not final
          let total = 1 + piece.length;
          while (total + piece.length <= limit) {
            await peer.conn.write(clientFrame(0x00, piece)); // continuation, not final
            total += piece.length;
          }
          // the last continuation's header takes the message one byte over
          await peer.conn.write(announcedFrame(limit + 1 - total, 0x80));
          await assertClosedWith1009(peer);
        } finally {
          peer.destroy();
        }
      }));
  });
}

describe('a body exactly at the 1e6 default is accepted', () => {
  const echo = serverFixture('socketio-echo');
  const engine = serverFixture('engineio-echo');

  test('socketio-echo: a 1e6-byte polling body carrying an event is echoed', () =>
    replay(echo, async () => {
      const session = await openPolling(echo);
      await session.post('40');
      assert.match((await session.poll()).text, /^40\{"sid":/);
      const head = '42["echo","';
      const body = head + 'x'.repeat(ONE_MB - head.length - 2) + '"]';
      assert.equal(body.length, ONE_MB);
      const post = await session.post(body);
      assert.equal(post.status, 200, `POST of exactly 1e6 bytes: ${post.status} ${post.text}`);
      const res = await session.poll();
      assert.equal(res.text, body, `the echo (${describeBytes(Buffer.from(res.text), 60)})`);
    }));

  test('engineio-echo: a 1e6-byte WebSocket message is echoed', () =>
    replay(engine, async () => {
      const peer = await RawWsPeer.engineIo(engine.port, engine.enginePath);
      try {
        const message = '4' + 'x'.repeat(ONE_MB - 1);
        await peer.sendText(message);
        await peer.waitText((t) => t === message, 'the echo of the 1e6-byte message');
      } finally {
        peer.destroy();
      }
    }));
});

describe('websocket-echo', () => {
  const server = serverFixture('websocket-echo');

  test('a frame announcing 1 TiB is closed with 1009 before its payload', () =>
    replay(server, async () => {
      const { res, peer } = await RawWsPeer.upgrade(server.port, '/any/path');
      assert.equal(res.status, 101);
      try {
        await peer.conn.write(announcedFrame(2 ** 40));
        await assertClosedWith1009(peer);
      } finally {
        peer.destroy();
      }
    }));
});
