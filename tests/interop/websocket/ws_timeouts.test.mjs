// websocket-echo's timeouts, set by its flags: the npm `ws` client (which
// answers pings by itself) stays connected through the server's pings, one
// that does not answer is closed with 1001, an upgrade request that never
// ends is dropped, and so is a message that never ends (1008).
import net from 'node:net';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { programCommand, startProgram } from '../lib/server.mjs';
import { withTimeout } from '../lib/wait.mjs';

const BOUND_MS = 10000; // the most any outcome may take

let server;
let url;

before(async () => {
  server = await startProgram(
    programCommand('websocket-echo'),
    ['--port', '0', '--request-timeout', '100', '--ping-interval', '20', '--ping-timeout', '500', '--message-timeout', '200'],
    { label: 'websocket-echo-timeouts' },
  );
  url = server.url.replace('http:', 'ws:') + '/any';
});

after(async () => {
  await server?.stop();
});

test('a client that answers pings stays connected and echoes', async () => {
  const ws = new WebSocket(url);
  await once(ws, 'open');
  const closed = once(ws, 'close');
  // Pinged again and again: each ping after the first means the server
  // kept the connection after the pong.
  let pings = 0;
  await withTimeout(
    new Promise((resolve) => ws.on('ping', () => ++pings >= 3 && resolve())),
    BOUND_MS,
    'three pings',
  );
  ws.send('still here');
  const [data] = await withTimeout(once(ws, 'message'), BOUND_MS, 'echo');
  assert.equal(data.toString(), 'still here');
  assert.equal(ws.readyState, WebSocket.OPEN);
  ws.close(1000);
  await closed;
});

test('a client that does not answer pings is closed with 1001', async () => {
  const ws = new WebSocket(url, { autoPong: false });
  await once(ws, 'open');
  const [code] = await withTimeout(once(ws, 'close'), BOUND_MS, 'close');
  assert.equal(code, 1001);
});

test('an upgrade request that never ends is dropped', async () => {
  const sock = net.connect(server.port, '127.0.0.1');
  await once(sock, 'connect');
  sock.write('GET /any HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr');
  sock.resume();
  await withTimeout(once(sock, 'close'), BOUND_MS, 'the server closing the connection');
});

test('a message that never ends closes with 1008', async () => {
  const ws = new WebSocket(url);
  await once(ws, 'open');
  const closed = once(ws, 'close');
  // A first fragment, and no more.
  ws.send('part of a message', { fin: false });
  const [code] = await withTimeout(closed, BOUND_MS, 'close');
  assert.equal(code, 1008);
});
