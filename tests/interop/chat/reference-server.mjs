#!/usr/bin/env node
// Reference twin of build/bin/sio-chat on the npm `socket.io` server: same flags, same
// "listening on" line, same page and protocol (apps/sio-chat/PROTOCOL.md). The chat
// tests run against it with SIO_CHAT_CMD=reference, which is how the page and the
// tests were developed before the C++ server existed, and how a difference between
// the two is told apart from a bug in the tests.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import { Chat } from './reference/chat.mjs';
import { staticHandler } from './reference/static.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({
  options: {
    help: { type: 'boolean', default: false },
    port: { type: 'string', default: '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    history: { type: 'string', default: '100' }, // messages kept per room
    'max-upload': { type: 'string', default: '1048576' }, // 1 MB attachments
    'log-level': { type: 'string', default: 'info' },
    'allow-eio3': { type: 'boolean', default: false }, // socket.io-client 2.x (Engine.IO 3)
    'web-root': { type: 'string', default: path.join(repo, 'web') },
    'client-bundle': {
      type: 'string',
      default: path.join(repo, 'node_modules/socket.io-client/dist/socket.io.min.js'),
    },
  },
});

if (values.help) {
  process.stdout.write(`reference-server.mjs: the Node twin of sio-chat
  --port N            TCP port (0: any free port) [3000]
  --host ADDR         address to listen on [127.0.0.1]
  --history N         messages kept per room and shown on joining [100]
  --max-upload BYTES  largest image or file [1048576]
  --log-level L       debug, info, warn, error or off [info]
  --web-root DIR      the page's folder [<repo>/web]
  --client-bundle F   socket.io-client browser bundle [<repo>/node_modules/socket.io-client/dist/socket.io.min.js]
  --allow-eio3        also accept socket.io-client 2.x (Engine.IO 3) [off]
`);
  process.exit(0);
}

const LEVELS = ['debug', 'info', 'warn', 'error', 'off'];
const threshold = LEVELS.indexOf(values['log-level']);
const log = (level, text) => {
  if (LEVELS.indexOf(level) >= threshold) process.stderr.write(`[${level}] ${text}\n`);
};

const maxUpload = Number(values['max-upload']);
const httpServer = http.createServer(staticHandler(values['web-root'], values['client-bundle']));
const io = new Server(httpServer, {
  // Room for an attachment just over the limit, base64-encoded over polling, so it
  // gets a "too-large" answer rather than a closed connection.
  maxHttpBufferSize: 2 * maxUpload + 65536,
  allowEIO3: values['allow-eio3'],
  serveClient: false,
});
const chat = new Chat(io, { history: Number(values.history), maxUpload, log });

httpServer.listen(Number(values.port), values.host, () => {
  const { port } = httpServer.address();
  process.stdout.write(`listening on http://${values.host}:${port}\n`);
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  chat.shutdown(() => {
    httpServer.closeAllConnections();
    httpServer.close(() => process.exit(0));
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
