// The Node side of redis_node_interop_test.cpp: a socket.io server on
// @socket.io/redis-adapter with one official socket.io-client connected to
// it, plus an @socket.io/redis-emitter, all on the Redis given as argv[2].
// Driven by JSON lines on stdin; reports JSON lines on stdout:
//   {"ready":{"id":...}}             the client is connected and in rooms red, blue
//   {"client":{"event":...,"args":[...]}}   the client received an event
//   {"sse":{"event":...,"args":[...]}}      the server received a serverSideEmit
//   {"reply":{"cmd":...,...}}               the answer to a command
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { createInterface } from "node:readline";

// Resolved from this file, so node_modules is found whatever the working directory.
const require = createRequire(import.meta.url);
const { Server } = require("socket.io");
const { io: connect } = require("socket.io-client");
const { createClient } = require("redis");
const { createAdapter } = require("@socket.io/redis-adapter");
const { Emitter } = require("@socket.io/redis-emitter");

// The Node adapter publishes without catching: a PUBLISH in flight when Redis
// dies rejects, and an unhandled rejection would end this process. Log it.
process.on('unhandledRejection', (e) => console.error(`unhandled rejection: ${e?.message ?? e}`));
const url = `redis://127.0.0.1:${process.argv[2]}`;
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
// Buffers as {"$bin":[bytes]} so the C++ side can check them in JSON.
const show = (v) => {
  if (Buffer.isBuffer(v) || v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return { $bin: [...Buffer.from(v)] };
  if (Array.isArray(v)) return v.map(show);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, show(x)]));
  return v;
};
const unshow = (v) => {
  if (v && typeof v === "object" && Array.isArray(v.$bin)) return Buffer.from(v.$bin);
  if (Array.isArray(v)) return v.map(unshow);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unshow(x)]));
  return v;
};

const pub = createClient({ url });
const sub = pub.duplicate();
const emitterClient = pub.duplicate();
for (const c of [pub, sub, emitterClient]) c.on("error", () => {});
await Promise.all([pub.connect(), sub.connect(), emitterClient.connect()]);

const http = createServer();
const io = new Server(http, { adapter: createAdapter(pub, sub, { requestsTimeout: 3000 }) });
const emitter = new Emitter(emitterClient);

io.on("connection", (socket) => {
  socket.data = { lang: "js" };
  socket.join(["red", "blue"]);
});
io.on("sse", (...args) => {
  const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
  out({ sse: { event: "sse", args: show(args) } });
  if (ack) ack("node-pong");
});

await new Promise((r) => http.listen(0, "127.0.0.1", r));
const client = connect(`http://127.0.0.1:${http.address().port}`, { transports: ["websocket"] });
client.onAny((event, ...args) => {
  const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
  out({ client: { event, args: show(args) } });
  if (ack) ack("js-ack");
});
client.on("connect", () => out({ ready: { id: client.id } }));

const commands = {
  emit: ({ event, args, to, except }) => {
    let op = io;
    if (to) op = op.to(to);
    if (except) op = op.except(except);
    op.emit(event, ...unshow(args));
    return {};
  },
  fetch: async ({ to }) => {
    const sockets = await (to ? io.in(to) : io).fetchSockets();
    return { sockets: sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data, address: s.handshake.address })) };
  },
  remoteEmit: async ({ id, event }) => {
    const [s] = (await io.fetchSockets()).filter((x) => x.id === id);
    s.emit(event, "to-you");
    return {};
  },
  sse: ({ event, args }) => { io.serverSideEmit(event, ...args); return {}; },
  sseAck: async ({ event, args }) => {
    try {
      return { responses: await io.serverSideEmitWithAck(event, ...args) };  // requestsTimeout bounds it
    } catch (e) {
      return { error: e.message };
    }
  },
  emitAck: async ({ event }) => {
    try {
      return { responses: await io.timeout(3000).emitWithAck(event) };
    } catch (e) {
      return { error: e.message };
    }
  },
  count: async () => ({ count: await io.of("/").adapter.serverCount() }),
  join: ({ to, room }) => { io.in(to).socketsJoin(room); return {}; },
  leave: ({ to, room }) => { io.in(to).socketsLeave(room); return {}; },
  disconnect: ({ to }) => { io.in(to).disconnectSockets(true); return {}; },
  emitter: ({ event, args, to }) => { (to ? emitter.to(to) : emitter).emit(event, ...unshow(args)); return {}; },
};

createInterface({ input: process.stdin }).on("line", async (line) => {
  const cmd = JSON.parse(line);
  const reply = await commands[cmd.cmd](cmd);
  out({ reply: { cmd: cmd.cmd, ...reply } });
});
process.stdin.on("end", () => process.exit(0));
