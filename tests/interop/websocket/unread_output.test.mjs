// Peers that do not read what the server writes, against websocket-echo and
// socketio-echo:
//  - a flood of pings costs the server one pending pong, not one per ping;
//  - a connection that is closing (the peer's close frame, a protocol error,
//    the output cap) while its output is blocked is still ended within the
//    close grace (3 s): the server's descriptors go back to what they were.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { programCommand, startProgram } from '../lib/server.mjs';
import { FrameReader, afterHttpResponse, clientFrame, openSockets, tcpConnect, upgradeRequest, waitUntil } from '../lib/ws-raw.mjs';

const TEST_TIMEOUT_MS = 60000;
// The close grace is 3 s; the rest is slack for a loaded machine.
const REAPED_WITHIN_MS = 20000;
const ZERO_MASK = Buffer.alloc(4);

const servers = [
  {
    name: 'websocket-echo',
    start: () => startProgram(programCommand('websocket-echo'), ['--port', '0']),
    target: '/any',
    // Echoed as it is; 16 MiB per message at most (its default).
    message: (payload) => clientFrame(0x2, payload, { mask: ZERO_MASK }),
    messageSize: 8 << 20,
    greeting: null,
    hello: [],
    marker: { frame: () => clientFrame(0x1, 'that was all'), echo: 'that was all' },
    cap: 64 << 20, // ServerOptions::max_buffered_bytes
  },
  {
    name: 'socketio-echo',
    start: () => startProgram(programCommand('socketio-echo'), ['--port', '0']),
    target: '/socket.io/?EIO=4&transport=websocket',
    // An "echo" event of ~900 KB (maxHttpBufferSize 1e6).
    message: (payload) => clientFrame(0x1, `42["echo","${payload.toString('latin1')}"]`, { mask: ZERO_MASK }),
    messageSize: 900_000,
    greeting: '0{', // the Engine.IO open packet
    hello: [clientFrame(0x1, '40')], // connect to "/"
    marker: { frame: () => clientFrame(0x1, '42["echo","that was all"]'), echo: '42["echo","that was all"]' },
    cap: 16 << 20, // EngineOptions::max_buffered_bytes
  },
];

// Writes `bytes`, honouring the socket's backpressure (until the server ends
// the connection: then the rest is moot).
async function write(sock, bytes) {
  if (sock.destroyed || sock.write(bytes)) return;
  await new Promise((resolve) => {
    const done = () => {
      sock.off('drain', done);
      sock.off('close', done);
      resolve();
    };
    sock.on('drain', done);
    sock.on('close', done);
  });
}

// An upgraded connection that reads the server's greeting (the 101, and the
// Engine.IO open packet where there is one) and then nothing more. What it
// sends goes only after the greeting: a message in the upgrade's own segment
// would reach the session before it is open.
async function openUnread(s, server) {
  const sock = await tcpConnect(server.port);
  sock.on('error', () => {}); // the server may reset it when it gives up
  let got = Buffer.alloc(0);
  const greeted = new Promise((resolve) => {
    const onData = (chunk) => {
      got = Buffer.concat([got, chunk]);
      const rest = afterHttpResponse(got);
      const frames = rest ? new FrameReader().push(rest) : [];
      if (rest && (!s.greeting || frames.some((f) => f.payload.toString().startsWith(s.greeting)))) {
        sock.off('data', onData);
        sock.pause();
        resolve();
      }
    };
    sock.on('data', onData);
  });
  await write(sock, upgradeRequest(s.target));
  await greeted;
  await write(sock, Buffer.concat(s.hello));
  return sock;
}

// Sends `total` bytes' worth of messages to be echoed back unread.
async function fillOutput(s, sock, total) {
  const frame = s.message(Buffer.alloc(s.messageSize, 'x'));
  for (let sent = 0; sent < total; sent += s.messageSize) await write(sock, frame);
}

for (const s of servers) {
  describe(s.name, () => {
    let server;
    let baseline;
    before(async () => {
      server = await s.start();
      baseline = openSockets(server.proc.pid);
    });
    after(async () => {
      await server?.stop();
    });

    test('1,000,000 pings never read are answered by a few pongs, the last for the last ping', { timeout: TEST_TIMEOUT_MS }, async () => {
      const sock = await openUnread(s, server);
      const count = 1_000_000;
      const batch = [];
      for (let i = 0; i < count; ++i) {
        batch.push(clientFrame(0x9, String(i).padStart(8, '0'), { mask: ZERO_MASK }));
        if (batch.length === 10000) await write(sock, Buffer.concat(batch.splice(0)));
      }
      await write(sock, Buffer.concat(batch));
      // A message answered after everything before it: its echo marks the end.
      await write(sock, s.marker.frame());
      const reader = new FrameReader();
      const pongs = [];
      let done = false;
      sock.on('data', (chunk) => {
        for (const f of reader.push(chunk)) {
          if (f.opcode === 0xa) pongs.push(f.payload.toString());
          if (f.opcode === 0x1 && f.payload.toString() === s.marker.echo) done = true;
        }
      });
      sock.resume();
      assert.ok(await waitUntil(() => done, 30000), 'the marker never came back');
      assert.ok(pongs.length > 0);
      assert.ok(pongs.length < count / 100, `${pongs.length} pongs for ${count} pings`);
      assert.equal(pongs.at(-1), String(count - 1).padStart(8, '0'));
      for (let i = 1; i < pongs.length; ++i) assert.ok(pongs[i] > pongs[i - 1], 'pongs in order');
      sock.destroy();
    });

    const closings = [
      {
        how: 'its close frame',
        run: async (sock) => {
          await fillOutput(s, sock, 16 << 20);
          await write(sock, clientFrame(0x8, Buffer.from([0x03, 0xe8])));
        },
      },
      {
        how: 'a protocol error',
        run: async (sock) => {
          await fillOutput(s, sock, 16 << 20);
          await write(sock, clientFrame(0x1, 'hi', { masked: false }));
        },
      },
      {
        how: 'the output cap',
        run: async (sock) => fillOutput(s, sock, s.cap + (16 << 20)),
      },
    ];
    for (const c of closings) {
      test(`connections closed by ${c.how} with output never read are ended within the grace`, { timeout: TEST_TIMEOUT_MS }, async () => {
        const socks = [];
        for (let i = 0; i < 2; ++i) socks.push(await openUnread(s, server));
        await Promise.all(socks.map((sock) => c.run(sock)));
        const released = await waitUntil(() => openSockets(server.proc.pid) <= baseline, REAPED_WITHIN_MS, 100);
        const left = openSockets(server.proc.pid) - baseline;
        for (const sock of socks) sock.destroy();
        assert.ok(released, `${left} descriptors still open ${REAPED_WITHIN_MS} ms after the close`);
      });
    }
  });
}
