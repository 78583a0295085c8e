// A Node cluster node for the scale-out tests: socket.io with
// @socket.io/redis-adapter, running the same small chat protocol the tests
// speak to every node:
//   "whoami" (ack)      -> the node's name
//   "join" room (ack)   -> the socket joins the room
//   "chat" msg          -> io.emit("chat", { node, msg })
//   "chat-room" r, msg  -> io.to(r).emit("chat", { node, msg })
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
io.on('connection', (socket) => {
  socket.on('whoami', (ack) => ack(values.name));
  socket.on('join', (room, ack) => { socket.join(room); ack(); });
  socket.on('chat', (msg) => io.emit('chat', { node: values.name, msg }));
  socket.on('chat-room', (room, msg) => io.to(room).emit('chat', { node: values.name, msg }));
});
http.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${http.address().port}`));
process.on('SIGTERM', () => process.exit(0));
