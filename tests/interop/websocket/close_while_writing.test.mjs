// The server fails a connection (a message over its limit: 1009; a protocol
// error: 1002) while the peer is still writing: the close frame must reach
// the peer. Closing the socket at once, with the peer's bytes unread, makes
// the kernel answer with a reset, which destroys the close frame still in
// the peer's receive queue. The server reads and drops what follows until
// the peer ends its side (or the close grace runs out), as ws does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { programCommand, startEngineIoEcho, startProgram } from '../lib/server.mjs';
import { afterHttpResponse, clientFrame, FrameReader, tcpConnect, upgradeRequest } from '../lib/ws-raw.mjs';

const TEST_TIMEOUT_MS = 20000;
const ROUNDS = 10; // the reset lost the close frame most of the time, not always

const servers = [
  { name: 'websocket-echo', start: () => startProgram(programCommand('websocket-echo'), ['--port', '0', '--max-message', '1048576']), target: '/any' },
  { name: 'engineio-echo', start: () => startEngineIoEcho(), target: '/engine.io/?EIO=4&transport=websocket' },
];

// Upgrades, then writes `frames` without waiting for anything, and reads
// until the server ends the connection. Returns the frames read after the
// 101 and whether the read ended in a reset.
async function writeWhileFailed(port, target, frames) {
  const sock = await tcpConnect(port);
  const chunks = [];
  let reset = null;
  sock.on('data', (c) => chunks.push(c));
  sock.on('error', (e) => {
    reset = e.code;
  });
  const closed = once(sock, 'close');
  sock.write(upgradeRequest(target));
  for (const f of frames) sock.write(f);
  sock.end(); // everything is written: end our side, as a client does after a close
  await closed;
  const rest = afterHttpResponse(Buffer.concat(chunks)) ?? Buffer.alloc(0);
  return { frames: new FrameReader().push(rest), reset };
}

for (const s of servers) {
  describe(s.name, () => {
    let server;
    before(async () => {
      server = await s.start();
    });
    after(async () => {
      await server?.stop();
    });

    const bulk = Buffer.alloc(256 * 1024, 0x61);
    const cases = [
      {
        what: 'a message over the limit, its 2 MiB payload still being written',
        frames: () => [clientFrame(0x2, Buffer.alloc(2 << 20), { mask: Buffer.alloc(4) })],
        code: 1009,
      },
      {
        what: 'a protocol error followed by 2 MiB more frames',
        frames: () => [clientFrame(0x1, 'x', { masked: false }), ...Array.from({ length: 8 }, () => clientFrame(0x2, bulk, { mask: Buffer.alloc(4) }))],
        code: 1002,
      },
    ];
    for (const c of cases) {
      test(`${c.what}: the close ${c.code} arrives, with no reset, ${ROUNDS} times`, { timeout: TEST_TIMEOUT_MS }, async () => {
        for (let i = 0; i < ROUNDS; ++i) {
          const { frames, reset } = await writeWhileFailed(server.port, s.target, c.frames());
          assert.equal(reset, null, `round ${i}: the connection was reset`);
          const close = frames.find((f) => f.opcode === 0x8);
          assert.ok(close, `round ${i}: no close frame (frames: ${frames.map((f) => f.opcode)})`);
          assert.equal(close.payload.readUInt16BE(0), c.code);
        }
      });
    }
  });
}
