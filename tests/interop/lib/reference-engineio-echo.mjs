#!/usr/bin/env node
// Reference twin of build/bin/engineio-echo, built on the npm `engine.io` server.
// It takes the same flags and prints the same "listening on" line, so the interop
// tests can be validated against the reference implementation
// (SIO_ENGINEIO_CMD=reference) before, or alongside, our C++ server.
//
// Every message is sent back as it came: text as text, binary as binary.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { attach } from 'engine.io';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' }, // 0: the OS picks a free port
    path: { type: 'string', default: '/engine.io/' }, // engine.io's default path
    'ping-interval': { type: 'string', default: '25000' }, // engine.io's default
    'ping-timeout': { type: 'string', default: '20000' }, // engine.io's default
    'max-payload': { type: 'string', default: '1000000' }, // engine.io's maxHttpBufferSize default
  },
});

const httpServer = http.createServer((req, res) => {
  // Anything outside the Engine.IO path is not ours.
  res.writeHead(404).end();
});

const engine = attach(httpServer, {
  path: values.path,
  pingInterval: Number(values['ping-interval']),
  pingTimeout: Number(values['ping-timeout']),
  maxHttpBufferSize: Number(values['max-payload']),
  transports: ['polling', 'websocket'],
  allowUpgrades: true,
});

engine.on('connection', (socket) => {
  socket.on('message', (data) => socket.send(data));
});

httpServer.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = httpServer.address();
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});

// The test harness stops us with SIGTERM; leave without waiting for open sessions.
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
