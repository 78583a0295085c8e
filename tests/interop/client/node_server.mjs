// A Socket.IO server (the official npm package) for the C++ client's
// interoperability tests. Started by the tests with one JSON argument:
//   {"port":0, "pingInterval":..., "pingTimeout":..., "transports":[...],
//    "tls":{"key":path,"cert":path}, "recovery":true}
// It prints one JSON line per thing that happened ({"ev":"listening","port":N}
// first), and obeys JSON lines on stdin ({"cmd":...}).
import { createServer as createHttp } from "node:http";
import { createServer as createHttps } from "node:https";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Server } from "socket.io";

const opts = JSON.parse(process.argv[2] || "{}");
const report = (o) => process.stdout.write(JSON.stringify(o) + "\n");

const httpServer = opts.tls
  ? createHttps({ key: readFileSync(opts.tls.key), cert: readFileSync(opts.tls.cert) })
  : createHttp();
const io = new Server(httpServer, {
  pingInterval: opts.pingInterval ?? 25000,
  pingTimeout: opts.pingTimeout ?? 20000,
  transports: opts.transports ?? ["polling", "websocket"],
  maxHttpBufferSize: opts.maxHttpBufferSize ?? 1e6,
  connectionStateRecovery: opts.recovery ? {} : undefined,  // {}: socket.io's defaults
});

// Stops this connection's heartbeat: the client must notice by itself.
function stopPings(conn) {
  clearTimeout(conn.pingIntervalTimer);
  clearTimeout(conn.pingTimeoutTimer);
  conn.schedulePing = () => {};
  conn.resetPingTimeout = () => {};
}

function serve(nsp) {
  nsp.on("connection", (socket) => {
    report({ ev: "connection", nsp: nsp.name, id: socket.id, conn: socket.conn.id, auth: socket.handshake.auth,
             query: socket.handshake.query, transport: socket.conn.transport.name, recovered: socket.recovered });
    socket.conn.on("upgrade", (t) => report({ ev: "upgrade", nsp: nsp.name, transport: t.name }));
    if (opts.reportPongs) {
      socket.conn.on("packet", (p) => { if (p.type === "pong") report({ ev: "pong", nsp: nsp.name }); });
    }
    socket.on("disconnect", (reason) => report({ ev: "disconnect", nsp: nsp.name, id: socket.id, reason }));
    socket.onAny((name, ...args) => {
      const hasAck = typeof args[args.length - 1] === "function";
      const shown = hasAck ? args.slice(0, -1) : args;
      report({ ev: "event", nsp: nsp.name, name, args: shown, ack: hasAck, transport: socket.conn.transport.name });
    });
    socket.on("echo", (...args) => {
      const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
      socket.emit("echo", ...args);
      if (ack) ack(...args);
    });
    socket.on("ack", (...args) => {
      const ack = args.pop();
      ack(...args);
    });
    socket.on("noack", () => {});  // never answers: the client's ack times out
    socket.on("request-ack", (name, timeoutMs, ...args) => {
      socket.timeout(timeoutMs).emit(name, ...args, (err, ...resp) => {
        report({ ev: "ack-result", nsp: nsp.name, err: err ? err.message : null, args: resp });
      });
    });
    socket.on("disconnect-me", () => socket.disconnect());
    socket.on("close-transport", () => socket.conn.close());
    socket.on("stop-pings", () => stopPings(socket.conn));
  });
}

serve(io.of("/"));
serve(io.of("/chat"));
const admin = io.of("/admin");
admin.use((socket, next) => {
  if (socket.handshake.auth && socket.handshake.auth.token === "secret") return next();
  const err = new Error("not authorized");
  err.data = { reason: "bad token" };
  next(err);
});
serve(admin);

createInterface({ input: process.stdin }).on("line", (line) => {
  let m;
  try { m = JSON.parse(line); } catch { return; }
  if (m.cmd === "emit") io.of(m.nsp ?? "/").emit(m.event, ...(m.args ?? []));
  else if (m.cmd === "emit-binary") io.of(m.nsp ?? "/").emit(m.event, Buffer.from(m.base64, "base64"));
  else if (m.cmd === "stop-pings") for (const s of io.of("/").sockets.values()) stopPings(s.conn);
  else if (m.cmd === "exit") process.exit(0);
  report({ ev: "done", cmd: m.cmd });
});

httpServer.listen(opts.port ?? 0, "127.0.0.1", () => {
  report({ ev: "listening", port: httpServer.address().port });
});
