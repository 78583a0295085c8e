// Shared pieces of the Socket.IO interop tests: our test server as a fixture,
// and the official socket.io-client connected over one of the three transport
// modes (WebSocket only, long-polling only, long-polling upgraded to WebSocket).
import { after, before, describe } from 'node:test';
import { io, Manager } from 'socket.io-client';
import { programCommand, startProgram } from '../lib/server.mjs';
import { DEFAULT_TIMEOUT_MS, EventQueue, nextEvent, withTimeout } from '../lib/wait.mjs';

export { EventQueue, nextEvent, withTimeout };

export const MODES = Object.freeze({
  websocket: ['websocket'],
  polling: ['polling'],
  upgrade: ['polling', 'websocket'],
});
export const THREADS = [1, 2];

// Starts `program` (a name in SIO_BIN_DIR) before the enclosing suite's tests
// and stops it after them; `url` is its base URL once running.
export function programFixture(program, args = []) {
  const fixture = {
    server: null,
    get url() {
      if (!this.server) throw new Error(`${program} is not running`);
      return this.server.url;
    },
  };
  before(async () => {
    fixture.server = await startProgram(programCommand(program), ['--port', '0', ...args], {
      label: `${program}${args.length ? '-' + args.join('') : ''}`,
    });
  });
  after(async () => {
    await fixture.server?.stop();
  });
  return fixture;
}

export function testServer(threads, args = []) {
  return programFixture('socketio-test-server', ['--threads', String(threads), ...args]);
}

// Waits until `socket` (whose events `record` lists are recorded from the
// start) is connected; in upgrade mode, also until the transport is WebSocket.
async function settle(socket, mode) {
  await withTimeout(
    new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    }),
    DEFAULT_TIMEOUT_MS,
    `connect to ${socket.nsp}`,
  );
  if (mode === 'upgrade' && socket.io.engine.transport.name !== 'websocket') {
    await nextEvent(socket.io.engine, 'upgrade');
  }
}

// A connected socket.io-client socket, closed when test `t` ends. `record`:
// events to queue from the very start (socket.recorded[event]).
export async function connect(t, base, { nsp = '/', mode = 'websocket', auth, record = [], ...opts } = {}) {
  const socket = io(new URL(nsp, base).toString(), {
    transports: MODES[mode],
    forceNew: true,
    reconnection: false,
    auth,
    ...opts,
  });
  t.after(() => socket.disconnect());
  socket.recorded = Object.fromEntries(record.map((e) => [e, new EventQueue(socket, e)]));
  await settle(socket, mode);
  return socket;
}

// Sockets of several namespaces over one Engine.IO connection (one Manager).
export async function connectMany(t, base, nsps, { mode = 'websocket', ...opts } = {}) {
  const manager = new Manager(base, { transports: MODES[mode], reconnection: false, ...opts });
  const sockets = nsps.map((nsp) => manager.socket(nsp));
  t.after(() => sockets.forEach((s) => s.disconnect()));
  await Promise.all(sockets.map((s) => settle(s, mode)));
  return sockets;
}

// A connection attempt that must fail; resolves with the connect_error.
export async function refused(t, base, { nsp = '/', mode = 'websocket', auth } = {}) {
  const socket = io(new URL(nsp, base).toString(), { transports: MODES[mode], forceNew: true, reconnection: false, auth });
  t.after(() => socket.disconnect());
  const [err] = await nextEvent(socket, 'connect_error', { failOn: ['connect'] });
  return err;
}

// emit with an acknowledgement; resolves with the acknowledgement's arguments.
export function ask(socket, event, ...args) {
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.timeout(DEFAULT_TIMEOUT_MS).emit(event, ...args, (err, ...reply) => (err ? reject(err) : resolve(reply)));
    }),
    DEFAULT_TIMEOUT_MS + 1000,
    `ack of ${event}`,
  );
}

// Buffer-ish values as plain byte arrays, for deepEqual.
export function bytes(b) {
  return [...new Uint8Array(b.buffer ?? b, b.byteOffset ?? 0, b.byteLength)];
}

// Runs `body(server, mode)` in a suite per server thread count and transport mode.
export function forEachSetup(body, { args = [], modes = Object.keys(MODES) } = {}) {
  for (const threads of THREADS) {
    describe(`--threads ${threads}`, () => {
      const server = testServer(threads, args);
      for (const mode of modes) describe(mode, () => body(server, mode));
    });
  }
}
