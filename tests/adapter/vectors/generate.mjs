// Generates the golden vectors the cluster codec tests compare against, by
// running the real npm packages (notepack.io, @socket.io/redis-adapter,
// @socket.io/redis-emitter) against stub Redis clients that record what they
// publish. Run from the repository root:
//   node tests/adapter/vectors/generate.mjs
// and commit the two JSON files it writes next to itself.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(join(process.cwd(), "package.json"));
const here = dirname(fileURLToPath(import.meta.url));

// Deterministic ids: uid2 is loaded by the adapter at require time, so
// replace it in the module cache first ("uid001", "uid002", ...).
const uid2Path = require.resolve("uid2", { paths: [dirname(require.resolve("@socket.io/redis-adapter"))] });
let uidCounter = 0;
require.cache[uid2Path] = { id: uid2Path, filename: uid2Path, loaded: true,
  exports: () => "uid" + String(++uidCounter).padStart(3, "0") };

const notepack = require("notepack.io");
const { RedisAdapter } = require("@socket.io/redis-adapter");
const { Emitter } = require("@socket.io/redis-emitter");

const hex = (b) => Buffer.from(b).toString("hex");

// ---------- 1. notepack values, and how Socket.IO sees them decoded ----------
// `json`: the decoded value with each Buffer replaced by a placeholder
// (depth-first numbering, like socket.io-parser), Dates by toJSON().
function socketView(value) {
  const attachments = [];
  const walk = (v) => {
    if (ArrayBuffer.isView(v)) { attachments.push(hex(v)); return { _placeholder: true, num: attachments.length - 1 }; }
    if (v instanceof Date) return v.toJSON();
    if (Array.isArray(v)) return v.map((e) => (e === undefined ? null : walk(e)));
    if (v && typeof v === "object") {
      const o = {};
      for (const k of Object.keys(v)) if (v[k] !== undefined) o[k] = walk(v[k]);
      return o;
    }
    return v === undefined ? null : v;
  };
  return { json: walk(value), attachments };
}
const values = [
  ["null", null], ["true", true], ["false", false],
  ["zero", 0], ["fixint_max", 127], ["uint8", 200], ["uint16", 65535], ["uint32", 4294967295],
  ["uint64", 2 ** 40 + 7], ["negfix", -32], ["int8", -100], ["int16", -30000], ["int32", -2147483648],
  ["int64", -(2 ** 40) - 3], ["float", 1.5], ["float_neg", -0.1], ["integral_float", 3.0],
  ["empty_str", ""], ["fixstr", "hello"], ["str8", "x".repeat(40)], ["str16", "y".repeat(300)],
  ["unicode", "héllo ✓ 😀"], ["empty_array", []], ["array", [1, "a", null, false]],
  ["array16", Array.from({ length: 20 }, (_, i) => i)],
  ["object", { a: 1, b: "two", c: [3] }], ["object_index_keys", { b: 1, 2: "x", 1: "y", a: 3 }],
  ["object_undefined_member", { a: undefined, b: 2 }], ["array_undefined", [undefined, 1]],
  ["buffer", Buffer.from([1, 2, 3])], ["buffer_empty", Buffer.alloc(0)],
  ["buffer_300", Buffer.alloc(300, 7)], ["uint8array", new Uint8Array([9, 8])],
  ["nested_binary", ["ev", { file: Buffer.from("abc"), list: [Buffer.from([0xff])] }]],
  ["date", new Date(Date.UTC(2024, 0, 2, 3, 4, 5))], ["date_ms", new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))],
  ["date_pre_epoch", new Date(-1000)], ["set_in_object", { s: new Set(["a"]) }],
  ["map16", Object.fromEntries(Array.from({ length: 17 }, (_, i) => ["k" + i, i]))],
];
// A Date reads back as its ISO string, which encodes as a string: decode only.
const valueVectors = values.map(([name, v]) =>
  ({ name, hex: hex(notepack.encode(v)), ...(v instanceof Date ? { decodeOnly: true } : {}), ...socketView(v) }));
// Inputs notepack reads but never writes.
const extra = [
  ["float32", "ca3fc00000", 1.5], ["undefined_ext", "d40000", null],
  ["timestamp96", "c70cff000000000000000000000e10", "1970-01-01T01:00:00.000Z"],
  ["ext_other", "d5050102", null],
];
for (const [name, h] of extra) {
  const v = notepack.decode(Buffer.from(h, "hex"));
  valueVectors.push({ name, hex: h, decodeOnly: true, ...socketView(v) });
}
writeFileSync(join(here, "notepack_values.json"), JSON.stringify(valueVectors, null, 1) + "\n");

// ---------- 2. messages as the real adapter and emitter publish them ----------
const published = [];
let current = "";
const pub = {
  publish(channel, msg) { published.push({ name: current, channel, hex: hex(Buffer.from(msg)) }); return Promise.resolve(1); },
  on() {}, off() {},
  sSubscribe() {}, pSubscribe() {},
  sendCommand(args) { return Promise.resolve([args[2], 3]); },  // PUBSUB NUMSUB: 3 servers
};
const sub = { pSubscribe() {}, subscribe() {}, on() {}, off() {} };

function makeNsp(name) {
  const sockets = new Map();
  return {
    name, sockets, _ids: 0,
    server: { encoder: { encode: (p) => [JSON.stringify(p)] } },
    _onServerSideEmit(data) {
      const cb = data[data.length - 1];
      if (typeof cb === "function") cb({ pong: data[1] });
    },
  };
}
function addSocket(adapter, id, rooms, data) {
  const socket = {
    id, data, rooms: new Set([id, ...rooms]), acks: new Map(),
    handshake: { headers: { host: "localhost" }, time: "Tue Jan 02 2024", address: "127.0.0.1", xdomain: false,
      secure: false, issued: 1704164645000, url: "/socket.io/?EIO=4&transport=polling", query: { EIO: "4" }, auth: {} },
    client: { writeToEngine() {} },
  };
  adapter.nsp.sockets.set(id, socket);
  adapter.addAll(id, socket.rooms);
  return socket;
}
const flush = () => new Promise((r) => setImmediate(r));

const nsp = makeNsp("/");
const adapter = new RedisAdapter(nsp, pub, sub, { requestsTimeout: 60000 });
adapter.uid = "nodeA1";
const chat = new RedisAdapter(makeNsp("/chat"), pub, sub, { requestsTimeout: 60000 });
chat.uid = "nodeB2";
const s1 = addSocket(adapter, "sock1", ["room1", "room2"], { user: "ann", n: 1 });
addSocket(adapter, "sock2", ["room2"], {});

const none = () => new Set();
const run = async (name, fn) => { current = name; await fn(); await flush(); };

await run("broadcast_all", () => adapter.broadcast({ type: 2, data: ["chat", "hi", 1, { a: true }] },
  { rooms: none(), except: none(), flags: {} }));
await run("broadcast_room_except_flags", () => adapter.broadcast({ type: 2, data: ["chat", 2.5] },
  { rooms: new Set(["room1"]), except: new Set(["room9"]), flags: { compress: false, volatile: true } }));
await run("broadcast_rooms_binary", () => chat.broadcast({ type: 2, data: ["bin", Buffer.from([1, 2, 3]), { n: [Buffer.from("abc")] }] },
  { rooms: new Set(["a", "b"]), except: none(), flags: { compress: true } }));
await run("broadcast_with_ack_request", () => adapter.broadcastWithAck({ type: 2, data: ["ask", 7] },
  { rooms: new Set(["room2"]), except: none(), flags: { timeout: 5000 } }, () => {}, () => {}));
await run("fetch_sockets_request", () => { adapter.fetchSockets({ rooms: new Set(["room1"]), except: new Set(["x"]), flags: {} }).catch(() => {}); });
await run("all_rooms_request", () => { adapter.allRooms().catch(() => {}); });
await run("sockets_join_request", () => adapter.addSockets({ rooms: new Set(["room1"]), except: none(), flags: {} }, ["new1", "new2"]));
await run("sockets_leave_request", () => adapter.delSockets({ rooms: none(), except: new Set(["room2"]), flags: {} }, ["room1"]));
await run("disconnect_request", () => adapter.disconnectSockets({ rooms: new Set(["room1"]), except: none(), flags: {} }, true));
await run("server_side_emit_request", () => adapter.serverSideEmit(["hello", "world", 42]));
await run("server_side_emit_ack_request", () => adapter.serverSideEmit(["ping", 1, () => {}]));

// Responses: feed the adapter requests from another node ("other1").
const ask = (req, json = true) => adapter.onrequest(adapter.requestChannel, json ? Buffer.from(JSON.stringify(req)) : notepack.encode(req));
await run("fetch_sockets_response", () => ask({ uid: "other1", requestId: "req001", type: 5, opts: { rooms: ["room1"], except: [] } }));
await run("all_rooms_response", () => ask({ uid: "other1", requestId: "req002", type: 1 }));
await run("server_side_emit_response", () => ask({ uid: "other1", requestId: "req003", type: 6, data: ["ping", 5] }));
await run("broadcast_ack_responses", async () => {
  await ask({ uid: "other1", requestId: "req004", type: 7, packet: { type: 2, data: ["ask"], nsp: "/" },
    opts: { rooms: ["room1"], except: [], flags: { timeout: 1000 } } }, false);
  [...s1.acks.values()].pop()(["yes", Buffer.from([5])]);
});
await run("legacy_sockets_response", () => ask({ uid: "other1", requestId: "req005", type: 0, rooms: ["room2"] }));

// The emitter.
const emitter = new Emitter(pub);
await run("emitter_all", () => emitter.emit("news", { title: "t" }, [1, 2]));
await run("emitter_room", () => emitter.to("room1").emit("news", "r"));
await run("emitter_nsp_except_volatile", () => emitter.of("chat").to(["a", "b"]).except("c").volatile.emit("x", Buffer.from([0, 1])));
await run("emitter_sockets_join", () => emitter.in("room1").socketsJoin(["j1"]));
await run("emitter_sockets_leave", () => emitter.except("room2").socketsLeave("room1"));
await run("emitter_disconnect", () => emitter.to("room1").disconnectSockets(true));
await run("emitter_server_side_emit", () => emitter.serverSideEmit("hello", 1));

writeFileSync(join(here, "redis_adapter_messages.json"), JSON.stringify(published, null, 1) + "\n");
console.log(`${valueVectors.length} values, ${published.length} messages`);
process.exit(0);
