// The official engine.io-client (npm) as a peer, with its events recorded from the
// moment the socket is created so a test can await them in order.
import { Socket } from 'engine.io-client';
import { DEFAULT_TIMEOUT_MS, EventQueue, nextEvent, withTimeout } from './wait.mjs';

// Creates a client socket for `url` (path /engine.io/ unless opts say otherwise).
// Adds: messages (EventQueue of received data), pings (count of 'ping' events),
// closed (promise of { reason, description }).
export function connectClient(url, opts = {}) {
  const socket = new Socket(url, { path: '/engine.io/', ...opts });
  socket.messages = new EventQueue(socket, 'message', (data) => data);
  socket.pings = 0;
  socket.on('ping', () => socket.pings++);
  socket.errors = [];
  socket.on('error', (err) => socket.errors.push(err));
  socket.closed = new Promise((resolve) =>
    socket.once('close', (reason, description) => resolve({ reason, description })),
  );
  return socket;
}

// Resolves once the handshake is done; rejects if the socket errors or closes first.
export async function waitOpen(socket, timeoutMs = DEFAULT_TIMEOUT_MS) {
  if (socket.readyState === 'open') return;
  await nextEvent(socket, 'open', { timeoutMs, failOn: ['error', 'close'] });
}

export function waitClose(socket, timeoutMs = DEFAULT_TIMEOUT_MS) {
  return withTimeout(socket.closed, timeoutMs, 'engine.io-client close');
}

// Resolves once `count` pings have been received in total.
export function waitPings(socket, count, timeoutMs = DEFAULT_TIMEOUT_MS) {
  if (socket.pings >= count) return Promise.resolve();
  return withTimeout(
    new Promise((resolve) => {
      const check = () => {
        if (socket.pings >= count) {
          socket.off('ping', check);
          resolve();
        }
      };
      socket.on('ping', check);
    }),
    timeoutMs,
    `${count} pings`,
  );
}

// Makes the client a peer that never answers pings and never gives up on its own:
// pongs are dropped and its ping-timeout timer is never armed, so only the server
// can end the session.
export function stopAnsweringPings(socket) {
  const send = socket._sendPacket.bind(socket);
  socket._sendPacket = (type, ...rest) => {
    if (type !== 'pong') send(type, ...rest);
  };
  socket.clearTimeoutFn(socket._pingTimeoutTimer);
  socket._resetPingTimeout = () => {};
}

// Bytes of whatever binary type the client hands out (Buffer, ArrayBuffer, view).
export function bytesOf(data) {
  if (typeof data === 'string') throw new Error(`expected binary data, got text ${JSON.stringify(data)}`);
  if (data instanceof ArrayBuffer) return [...new Uint8Array(data)];
  return [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
}
