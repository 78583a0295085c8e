// The Node node of the scale-out tests: socket.io on @socket.io/redis-adapter,
// speaking the same protocol as the C++ node (cluster_node.cpp; see the list
// there): whoami, join, bcast, to, except, chat, chat-room, fetch, ask-all,
// server-emit, heard, redis.
// Usage: node node-server.mjs --redis URL --name NAME  (prints "listening on http://...").
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { Server } = require('socket.io');
const { createClient } = require('redis');
const { createAdapter } = require('@socket.io/redis-adapter');

// The Node adapter publishes without catching: a PUBLISH in flight when Redis
// dies rejects, and an unhandled rejection would end this process. Log it.
process.on('unhandledRejection', (e) => console.error(`unhandled rejection: ${e?.message ?? e}`));
const { values } = parseArgs({ options: { redis: { type: 'string' }, name: { type: 'string' } } });
const pub = createClient({ url: values.redis });
const sub = pub.duplicate();
for (const c of [pub, sub]) c.on('error', () => {});  // reconnects by itself
await Promise.all([pub.connect(), sub.connect()]);

const http = createServer();
const io = new Server(http, { adapter: createAdapter(pub, sub) });
const heard = [];
io.on('hello', (msg, ack) => {  // another node's serverSideEmit
  heard.push(msg);
  if (typeof ack === 'function') ack(values.name);
});
const errorOf = (err) => (err ? err.message : null);
io.on('connection', (socket) => {
  socket.data = { node: values.name };
  socket.on('whoami', (ack) => ack(values.name));
  socket.on('join', (room, ack) => { socket.join(room); ack(); });
  socket.on('bcast', (...args) => io.emit('bcast', ...args));
  socket.on('to', (room, ...args) => io.to(room).emit('bcast', ...args));
  socket.on('except', (room, ...args) => io.except(room).emit('bcast', ...args));
  socket.on('chat', (msg) => io.emit('chat', { node: values.name, msg }));
  socket.on('chat-room', (room, msg) => io.to(room).emit('chat', { node: values.name, msg }));
  socket.on('fetch', async (ack) => {
    const sockets = await io.fetchSockets();
    ack(sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data })));
  });
  socket.on('ask-all', (ack) =>
    io.timeout(3000).emit('question', (err, responses) => ack({ error: errorOf(err), responses })));
  socket.on('server-emit', (msg, ack) =>
    io.serverSideEmit('hello', msg, (err, replies) => ack({ error: errorOf(err), replies })));
  socket.on('heard', (ack) => ack(heard));
  socket.on('redis', (ack) => ack({ connected: pub.isReady && sub.isReady, outages: 0 }));
});
http.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${http.address().port}`));
process.on('SIGTERM', () => process.exit(0));
