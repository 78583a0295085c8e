#!/usr/bin/env node
// Reference Node server for the performance comparison: socket.io 4.8 from
// node_modules with the same contract as build/bin/socketio-echo.
//
//   on namespace "/": event "echo"  -> emitted back to the sender, same arguments
//                     event "bcast" -> emitted to every connected socket
//
// Everything else is socket.io's default (polling + websocket, upgrades,
// pingInterval 25 s, pingTimeout 20 s, maxHttpBufferSize 1e6, no
// perMessageDeflate). Prints "listening on http://127.0.0.1:PORT" once ready.
// With --tls-cert and --tls-key: https:// and wss:// only, as socketio-echo.
//
//   node bench/node/echo-server.mjs --port 3001     (0: any free port)
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' }, // same default as socketio-echo
    host: { type: 'string', default: '127.0.0.1' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});

const tls = values['tls-cert'] !== undefined;
const httpServer = tls
  ? https.createServer({ cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) })
  : http.createServer();
const io = new Server(httpServer);

io.on('connection', (socket) => {
  socket.on('echo', (...args) => socket.emit('echo', ...args));
  socket.on('bcast', (...args) => io.emit('bcast', ...args));
});

httpServer.listen(Number(values.port), values.host, () => {
  const { port } = httpServer.address();
  process.stdout.write(`listening on ${tls ? 'https' : 'http'}://${values.host}:${port}\n`);
});

// Benchmarks stop us with SIGTERM; leave without waiting for open sessions.
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
