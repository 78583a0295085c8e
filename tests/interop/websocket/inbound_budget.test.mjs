// WebSocket messages arriving in pieces hold their buffer against the
// server-wide inbound budget (engineio-echo: EngineOptions::max_inbound_buffered,
// shared with polling bodies; websocket-echo: ws::ServerOptions::max_inbound_buffered).
// A connection whose message would pass it is closed with 1013 (try again
// later); a message that ends gives its bytes back. Budget 250 KB: one
// unfinished 150 KB fragment fits, two do not.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { programCommand, startEngineIoEcho, startProgram } from '../lib/server.mjs';
import { RawPeer, clientFrame } from '../lib/ws-raw.mjs';

const BUDGET = 250_000;
const FRAGMENT = 150_000;
const TEST_TIMEOUT_MS = 15000;

const servers = [
  {
    name: 'websocket-echo',
    start: () =>
      startProgram(programCommand('websocket-echo'), ['--port', '0', '--max-inbound-buffered', String(BUDGET)]),
    target: '/any',
  },
  {
    name: 'engineio-echo',
    start: () =>
      startEngineIoEcho({ pingInterval: 10000, pingTimeout: 10000, maxPayload: 400_000, maxInboundBuffered: BUDGET }),
    target: '/engine.io/?EIO=4&transport=websocket',
  },
];

// A first fragment of FRAGMENT bytes, then a ping: its pong says the server
// has read the fragment (null: closed instead).
async function holdFragment(peer) {
  peer.sock.write(clientFrame(0x2, Buffer.alloc(FRAGMENT, 0x61), { fin: false }));
  peer.sock.write(clientFrame(0x9, 'held'));
  return peer.next(0xa);
}

for (const s of servers) {
  describe(`${s.name}: the inbound budget (250 KB) holds unfinished WebSocket messages`, () => {
    let server;
    before(async () => {
      server = await s.start();
    });
    after(async () => {
      await server?.stop();
    });

    test('past the budget a connection is closed with 1013; a message that ends gives its bytes back', { timeout: TEST_TIMEOUT_MS }, async () => {
      const a = await RawPeer.open(server.port, s.target);
      const b = await RawPeer.open(server.port, s.target);
      const c = await RawPeer.open(server.port, s.target);
      try {
        const pongA = await holdFragment(a);
        assert.ok(pongA, `the first unfinished message fits (frames: ${JSON.stringify(a.frames.map((f) => [f.opcode, f.payload.subarray(0, 40).toString('hex')]))})`);
        assert.equal(pongA.payload.toString(), 'held');

        // 150 KB more would be 300 KB held: refused.
        assert.equal(await holdFragment(b), null, 'the second connection is closed, not answered');
        const close = b.frames.find((f) => f.opcode === 0x8);
        assert.ok(close, `a close frame (got opcodes ${b.frames.map((f) => f.opcode)})`);
        assert.equal(close.payload.readUInt16BE(0), 1013);
        await b.closed;

        // A finishes its message: echoed whole, and its bytes come back.
        a.sock.write(clientFrame(0x0, Buffer.from('end'), { fin: true }));
        const echo = await a.next(0x2);
        assert.ok(echo, 'the finished message is echoed');
        assert.equal(echo.payload.length, FRAGMENT + 3);

        const pongC = await holdFragment(c);
        assert.ok(pongC, 'with the bytes back, another unfinished message fits');
        c.sock.write(clientFrame(0x0, Buffer.from('end'), { fin: true }));
        assert.equal((await c.next(0x2))?.payload.length, FRAGMENT + 3);
      } finally {
        a.destroy();
        b.destroy();
        c.destroy();
      }
    });
  });
}
