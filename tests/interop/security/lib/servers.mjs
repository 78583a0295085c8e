// Our four servers as the CVE replays use them (started from SIO_BIN_DIR with
// their default limits unless a test says otherwise), and for each a health
// check: after an attack, the process is still running and an ordinary client
// of the official npm peers connects and gets its echo.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { connectClient, waitOpen } from '../../lib/eio-client.mjs';
import { eioUrl, httpFetch } from '../../lib/http.mjs';
import { programCommand, startEngineIoEcho, startProgram } from '../../lib/server.mjs';
import { DEFAULT_TIMEOUT_MS, nextEvent, withTimeout } from '../../lib/wait.mjs';
import { startChat } from '../../chat/lib/chat-server.mjs';
import { ChatClient } from '../../chat/lib/sio-client.mjs';

// Each kind: how to start it, where its Engine.IO endpoint is (null: none),
// and how an ordinary client checks that it still serves.
export const KINDS = Object.freeze({
  'socketio-echo': {
    start: () => startProgram(programCommand('socketio-echo'), ['--port', '0'], { label: 'socketio-echo' }),
    enginePath: '/socket.io/',
    healthy: socketIoEchoServes,
  },
  'engineio-echo': {
    // engine.io's default heartbeat, so that no ping falls due during a test
    start: () => startEngineIoEcho({ pingInterval: 25000, pingTimeout: 20000 }),
    enginePath: '/engine.io/',
    healthy: engineIoEchoServes,
  },
  'websocket-echo': {
    start: () => startProgram(programCommand('websocket-echo'), ['--port', '0'], { label: 'websocket-echo' }),
    enginePath: null,
    healthy: webSocketEchoServes,
  },
  'sio-chat': {
    start: () => startChat({ logLevel: 'warn' }),
    enginePath: '/socket.io/',
    healthy: chatServes,
  },
});

// Starts `kind` before the enclosing suite's tests and stops it after them.
// The fixture's healthy() asserts the process is alive and serving.
export function serverFixture(kind, start = KINDS[kind].start) {
  const fixture = {
    kind,
    server: null,
    enginePath: KINDS[kind].enginePath,
    get url() {
      return this.server.url;
    },
    get port() {
      return this.server.port;
    },
    async healthy() {
      assertRunning(this.server, kind);
      await KINDS[kind].healthy(this.server);
      assertRunning(this.server, kind);
    },
  };
  before(async () => {
    fixture.server = await start();
  });
  after(async () => {
    await fixture.server?.stop();
  });
  return fixture;
}

export function assertRunning(server, label) {
  const { exitCode, signalCode } = server.proc;
  assert.ok(
    exitCode === null && signalCode === null,
    `${label} died (exit code ${exitCode}, signal ${signalCode}); stderr:\n${server.stderr()}`,
  );
}

// socket.io-client over WebSocket and over long-polling: "echo" with an ack
// comes back acknowledged with the same arguments.
async function socketIoEchoServes(server) {
  for (const transports of [['websocket'], ['polling']]) {
    const socket = io(server.url, { transports, forceNew: true, reconnection: false });
    try {
      await nextEvent(socket, 'connect', { failOn: ['connect_error'] });
      const reply = await withTimeout(
        new Promise((resolve, reject) => {
          socket.timeout(DEFAULT_TIMEOUT_MS).emit('echo', 'still here', { n: 1 }, (err, ...args) => (err ? reject(err) : resolve(args)));
        }),
        DEFAULT_TIMEOUT_MS + 500,
        `echo over ${transports}`,
      );
      assert.deepEqual(reply, ['still here', { n: 1 }], `echo over ${transports}`);
    } finally {
      socket.disconnect();
    }
  }
}

// engine.io-client (polling, then upgraded): a message comes back.
async function engineIoEchoServes(server) {
  const socket = connectClient(server.url);
  try {
    await waitOpen(socket);
    socket.send('still here');
    assert.equal(await socket.messages.next(), 'still here');
  } finally {
    socket.close();
  }
}

// The npm ws client: a text message comes back.
async function webSocketEchoServes(server) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/healthy`);
  try {
    await nextEvent(ws, 'open', { failOn: ['error', 'close'] });
    ws.send('still here');
    const [data, isBinary] = await nextEvent(ws, 'message', { failOn: ['close'] });
    assert.equal(isBinary, false);
    assert.equal(data.toString('utf8'), 'still here');
  } finally {
    ws.terminate();
  }
}

// The chat: the page is served, and a client joins a room and is answered.
async function chatServes(server) {
  const page = await fetch(new URL('/', server.url), { signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS) });
  assert.equal(page.status, 200, 'GET / serves the page');
  await page.arrayBuffer();
  const client = await ChatClient.connect(server.url);
  try {
    await client.joined(`probe-${Math.random().toString(16).slice(2, 8)}`, 'health');
    const answer = await client.say('still here');
    assert.equal(answer.ok, true, `message answered ${JSON.stringify(answer)}`);
  } finally {
    client.close();
  }
}

// An Engine.IO polling session on `fixture`'s server (its own Engine.IO path):
// { sid, post(body), poll() }, each resolving with { status, text }.
export async function openPolling(fixture) {
  const url = (query) => eioUrl(fixture.url, { EIO: 4, transport: 'polling', ...query }, fixture.enginePath);
  const res = await httpFetch(url({}));
  assert.equal(res.status, 200, `polling handshake: ${res.status} ${res.text}`);
  assert.ok(res.text.startsWith('0{'), `open packet: ${res.text}`);
  const { sid } = JSON.parse(res.text.slice(1));
  return {
    sid,
    post: (body, opts = {}) => httpFetch(url({ sid }), { ...opts, method: 'POST', body }),
    poll: () => httpFetch(url({ sid })),
  };
}

// Runs `attack` (which asserts the server's answer), then checks the server
// is alive and serving whether or not the answer was right: a wrong answer
// and a dead server are reported together.
export async function replay(fixture, attack) {
  let wrongAnswer = null;
  try {
    await attack();
  } catch (err) {
    wrongAnswer = err;
  }
  try {
    await fixture.healthy();
  } catch (err) {
    if (wrongAnswer) err.message += `\n(before that, the attack itself: ${wrongAnswer.message})`;
    throw err;
  }
  if (wrongAnswer) throw wrongAnswer;
}
