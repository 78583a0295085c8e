// websocket-echo against the npm `ws` client (and raw sockets for frames `ws`
// refuses to send): echo of text, binary and fragmented messages, ping/pong,
// and the close codes our frame parser must answer with (1002, 1007, 1009),
// plus the close handshake.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

// Small, so that the limit is reached with a small message (default 16 MiB).
const MAX_MESSAGE = 1024;
// Bound for each test: a healthy server answers in milliseconds.
const TEST_TIMEOUT_MS = 10000;

let server; // { proc, port, url }

before(async () => {
  const dir = process.env.SIO_BIN_DIR;
  assert.ok(dir, 'SIO_BIN_DIR must point at the build/bin folder');
  const proc = spawn(path.join(dir, 'websocket-echo'), ['--port', '0', '--max-message', String(MAX_MESSAGE)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8');
  const port = await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      out += chunk;
      const m = /listening on http:\/\/[^\s:]+:(\d+)/.exec(out);
      if (m) {
        proc.stdout.off('data', onData);
        proc.stdout.resume(); // keep draining
        resolve(Number(m[1]));
      }
    };
    proc.stdout.on('data', onData);
    proc.once('error', reject);
    proc.once('exit', (code, signal) => reject(new Error(`websocket-echo exited (${code ?? signal}) before listening`)));
  });
  server = { proc, port, url: `ws://127.0.0.1:${port}/any/path` };
});

after(async () => {
  if (!server || server.proc.exitCode !== null) return;
  const exited = once(server.proc, 'exit');
  server.proc.kill('SIGTERM');
  await exited;
});

async function connect() {
  const ws = new WebSocket(server.url);
  await once(ws, 'open');
  return ws;
}

// Resolves with [code, reason] of the connection's close.
function closed(ws) {
  return once(ws, 'close').then(([code, reason]) => [code, reason.toString()]);
}

test('text message is echoed as text', { timeout: TEST_TIMEOUT_MS }, async () => {
  const ws = await connect();
  ws.send('hello, κόσμε 😀');
  const [data, isBinary] = await once(ws, 'message');
  assert.equal(isBinary, false);
  assert.equal(data.toString('utf8'), 'hello, κόσμε 😀');
  ws.close(1000);
  await closed(ws);
});

test('binary message is echoed as binary', { timeout: TEST_TIMEOUT_MS }, async () => {
  const ws = await connect();
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  ws.send(bytes);
  const [data, isBinary] = await once(ws, 'message');
  assert.equal(isBinary, true);
  assert.deepEqual(Buffer.from(data), bytes);
  ws.close(1000);
  await closed(ws);
});

test('a message exactly at the limit is echoed', { timeout: TEST_TIMEOUT_MS }, async () => {
  const ws = await connect();
  const bytes = randomBytes(MAX_MESSAGE);
  ws.send(bytes);
  const [data] = await once(ws, 'message');
  assert.deepEqual(Buffer.from(data), bytes);
  ws.close(1000);
  await closed(ws);
});

test('fragmented message is reassembled and echoed', { timeout: TEST_TIMEOUT_MS }, async () => {
  const ws = await connect();
  // "€" is split across the two fragments.
  const euro = Buffer.from('€');
  ws.send(Buffer.concat([Buffer.from('frag-'), euro.subarray(0, 1)]), { binary: false, fin: false });
  ws.send(Buffer.concat([euro.subarray(1), Buffer.from('-ment')]), { binary: false, fin: true });
  const [data, isBinary] = await once(ws, 'message');
  assert.equal(isBinary, false);
  assert.equal(data.toString('utf8'), 'frag-€-ment');
  ws.close(1000);
  await closed(ws);
});

test('ping is answered by a pong with the same payload', { timeout: TEST_TIMEOUT_MS }, async () => {
  const ws = await connect();
  const payload = Buffer.from('are you there?');
  ws.ping(payload);
  const [data] = await once(ws, 'pong');
  assert.deepEqual(Buffer.from(data), payload);
  ws.close(1000);
  await closed(ws);
});

test('invalid UTF-8 in a text message closes with 1007', { timeout: TEST_TIMEOUT_MS }, async () => {
  const ws = await connect();
  const done = closed(ws);
  ws.send(Buffer.from([0x6f, 0x6b, 0xed, 0xa0, 0x80]), { binary: false }); // a surrogate
  const [code] = await done;
  assert.equal(code, 1007);
});

test('a message over the limit closes with 1009', { timeout: TEST_TIMEOUT_MS }, async () => {
  const ws = await connect();
  const done = closed(ws);
  ws.send(randomBytes(MAX_MESSAGE + 1));
  const [code] = await done;
  assert.equal(code, 1009);
});

test('fragments adding up to more than the limit close with 1009', { timeout: TEST_TIMEOUT_MS }, async () => {
  const ws = await connect();
  const done = closed(ws);
  ws.send(randomBytes(MAX_MESSAGE / 2), { fin: false });
  ws.send(randomBytes(MAX_MESSAGE / 2 + 1), { fin: true });
  const [code] = await done;
  assert.equal(code, 1009);
});

test('the close handshake echoes the code', { timeout: TEST_TIMEOUT_MS }, async () => {
  const ws = await connect();
  const done = closed(ws);
  ws.close(4000, 'bye');
  const [code] = await done;
  assert.equal(code, 4000);
});

// ---- raw sockets, for frames that `ws` will not produce ----

// Opens a TCP connection, performs the upgrade by hand and resolves with the
// socket and the bytes that followed the 101 response.
async function rawUpgrade() {
  const sock = net.connect(server.port, '127.0.0.1');
  await once(sock, 'connect');
  const key = randomBytes(16).toString('base64');
  sock.write(
    'GET /raw HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let buf = Buffer.alloc(0);
  for (;;) {
    const [chunk] = await once(sock, 'data');
    buf = Buffer.concat([buf, chunk]);
    const end = buf.indexOf('\r\n\r\n');
    if (end >= 0) {
      assert.match(buf.subarray(0, end).toString('latin1'), /^HTTP\/1\.1 101 /);
      return { sock, rest: buf.subarray(end + 4) };
    }
  }
}

// Collects everything the server sends until it closes the connection, and
// returns the close code of the first frame, which must be a close frame.
async function closeCodeAfter(frame) {
  const { sock, rest } = await rawUpgrade();
  const chunks = [rest];
  sock.on('data', (c) => chunks.push(c));
  const ended = once(sock, 'close');
  sock.write(frame);
  await ended;
  const bytes = Buffer.concat(chunks);
  assert.ok(bytes.length >= 4, `expected a close frame, got ${bytes.toString('hex')}`);
  assert.equal(bytes[0], 0x88, 'a close frame with FIN');
  assert.equal(bytes[1] & 0x80, 0, 'server frames are not masked');
  return bytes.readUInt16BE(2);
}

function maskedFrame(firstByte, payload) {
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([Buffer.from([firstByte, 0x80 | payload.length]), key, masked]);
}

test('an unmasked client frame closes with 1002', { timeout: TEST_TIMEOUT_MS }, async () => {
  const code = await closeCodeAfter(Buffer.from([0x81, 0x02, 0x68, 0x69]));
  assert.equal(code, 1002);
});

test('a reserved bit closes with 1002', { timeout: TEST_TIMEOUT_MS }, async () => {
  const code = await closeCodeAfter(maskedFrame(0x80 | 0x40 | 0x1, [0x68, 0x69])); // RSV1, no extension
  assert.equal(code, 1002);
});

test('a reserved opcode closes with 1002', { timeout: TEST_TIMEOUT_MS }, async () => {
  const code = await closeCodeAfter(maskedFrame(0x80 | 0x3, [0x68]));
  assert.equal(code, 1002);
});

test('an invalid close code closes with 1002', { timeout: TEST_TIMEOUT_MS }, async () => {
  const code = await closeCodeAfter(maskedFrame(0x88, [0x03, 0xec])); // 1004
  assert.equal(code, 1002);
});
