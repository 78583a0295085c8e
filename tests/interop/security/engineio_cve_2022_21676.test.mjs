// engine.io CVE-2022-21676 (GHSA-273r-mgr4-v34f, fixed in engine.io 4.1.2 /
// 5.2.1 / 6.1.1): "a specially crafted HTTP request can trigger an uncaught
// exception on the Engine.IO server" (RangeError: Invalid WebSocket frame:
// RSV2 and RSV3 must be clear). The fix's tests (engine.io c0e194d) send a
// WebSocket upgrade with the bytes "test" right behind it, for a new session
// and for the upgrade of a polling session: "t" (0x74) read as a frame header
// has RSV1-3 set, a reserved opcode and no mask.
//
// Our servers must answer as RFC 6455 defines: the handshake is complete, so
// 101 first, then fail the WebSocket connection (section 7.1.7) with close
// 1002 (protocol error), then close TCP; a polling session whose upgrade
// failed goes on over polling; the server keeps serving.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clientFrame, describeBytes } from './lib/raw.mjs';
import { RawWsPeer } from './lib/raw-ws.mjs';
import { KINDS, openPolling, replay, serverFixture } from './lib/servers.mjs';

const INVALID_FRAMES = {
  // engine.io's test: 0x74 = FIN 0, RSV1-3 set, opcode 4; then 0x65: no mask
  'the bytes "test"': Buffer.from('test'),
  // a masked text frame with RSV2 and RSV3 set: the advisory's error
  'a frame with RSV2 and RSV3 set': clientFrame(0x80 | 0x20 | 0x10 | 0x1, Buffer.from('4hello')),
};

function websocketTarget(server, sid) {
  if (!server.enginePath) return '/any/path';
  return `${server.enginePath}?EIO=4&transport=websocket${sid ? `&sid=${encodeURIComponent(sid)}` : ''}`;
}

// Upgrades with `trailing` in the same write as the request head; asserts
// 101, then close 1002, then the end of the connection.
async function assertFailedWith1002(server, trailing, sid) {
  const { conn, res, peer } = await RawWsPeer.upgrade(server.port, websocketTarget(server, sid), { trailing });
  try {
    assert.equal(res.status, 101, `the handshake is answered 101 first; received ${describeBytes(conn.data)}`);
    const { code } = await peer.waitClosed();
    assert.equal(code, 1002, `close code (RFC 6455 section 5.2: protocol error); received ${peer.describe()}`);
  } finally {
    conn.destroy();
  }
}

// A message the server answers on a fresh WebSocket, and the answer.
function probe(kind) {
  if (kind === 'websocket-echo') return { send: 'hello', answered: (t) => t === 'hello', first: null };
  if (kind === 'engineio-echo') return { send: '4hello', answered: (t) => t === '4hello', first: '0{' };
  return { send: '40', answered: (t) => t.startsWith('40{"sid":'), first: '0{' }; // a Socket.IO CONNECT
}

// The upgrade of a polling session fails; engine.io drops only the failed
// WebSocket, and the session answers over polling.
async function pollingGoesOn(server, kind, bytes) {
  const session = await openPolling(server);
  await assertFailedWith1002(server, bytes, session.sid);
  const { send, answered } = probe(kind);
  const post = await session.post(send);
  assert.equal(post.status, 200, `POST after the failed upgrade: ${post.status} ${post.text}`);
  const res = await session.poll();
  assert.equal(res.status, 200, `poll after the failed upgrade: ${res.status} ${res.text}`);
  assert.ok(answered(res.text), `poll after the failed upgrade answered ${JSON.stringify(res.text)}`);
}

// superagent's form of engine.io's test: a GET with content. Two readings
// are right: HTTP/1.1 framing makes the 4 bytes the request's content, read
// before switching (RFC 9110 section 7.8), and the WebSocket then works; or,
// as Node's HTTP parser does for an upgrade, they are the first WebSocket
// bytes, and the connection fails with 1002. Refusing such a request (4xx)
// is fine too; closing without an answer is not.
async function handshakeWithBody(server, kind) {
  const { conn, res, peer } = await RawWsPeer.upgrade(server.port, websocketTarget(server), {
    extraHeaders: [['Content-Length', '4']],
    trailing: Buffer.from('test'),
  });
  try {
    if (res.status !== 101) {
      assert.ok(res.status >= 400 && res.status < 500, `answered ${res.status} ${res.body}`);
      return;
    }
    const { send, answered, first } = probe(kind);
    if (!first) await peer.sendText(send);
    const opened = (t) => (first ? t.startsWith(first) : answered(t));
    await peer.conn.until(() => (peer.texts().some(opened) || peer.frames().some((f) => f.opcode === 8) ? true : undefined), 'an answer');
    if (!peer.texts().some(opened)) {
      const { code } = await peer.waitClosed();
      assert.equal(code, 1002, `close code; received ${peer.describe()}`);
      return;
    }
    if (!first) return;
    await peer.sendText(send);
    await peer.waitText(answered, `the answer to ${send}`);
  } finally {
    conn.destroy();
  }
}

for (const kind of Object.keys(KINDS)) {
  describe(kind, () => {
    const server = serverFixture(kind);

    for (const [name, bytes] of Object.entries(INVALID_FRAMES)) {
      test(`${name} right behind a new WebSocket handshake: 101, then close 1002`, () =>
        replay(server, () => assertFailedWith1002(server, bytes)));
      if (KINDS[kind].enginePath) {
        test(`${name} right behind the upgrade of a polling session: 101, close 1002, polling goes on`, () =>
          replay(server, () => pollingGoesOn(server, kind, bytes)));
      }
    }

    test('a handshake request with a body (Content-Length: 4, "test") is answered: upgraded, or 101 then 1002, or refused', () =>
      replay(server, () => handshakeWithBody(server, kind)));
  });
}
