// sio-client-cli against the official socket.io server: it prints events as
// JSON lines, sends stdin lines as events, and reconnects by itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { Server } from "socket.io";

const BIN = process.env.SIO_BIN_DIR;
const TIMEOUT_MS = 15000;

function startServer(port = 0) {
  const httpServer = createServer();
  const io = new Server(httpServer, { pingInterval: 2000, pingTimeout: 2000 });
  const seen = [];
  for (const name of ["/", "/chat"]) {
    io.of(name).on("connection", (socket) => {
      socket.onAny((event, ...args) => {
        const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
        seen.push({ nsp: name, event, args });
        if (event === "echo") socket.emit("echo", ...args);
        if (ack) ack("ok", ...args);
      });
    });
  }
  return new Promise((resolve) =>
    httpServer.listen(port, "127.0.0.1", () => resolve({ io, httpServer, seen, port: httpServer.address().port })),
  );
}

function stopServer(s) {
  return new Promise((resolve) => {
    s.io.close();  // closes every client and the HTTP server
    resolve();
  });
}

// The CLI as a process; lines() yields its parsed output lines in order.
function startCli(args) {
  const child = spawn(join(BIN, "sio-client-cli"), args, { stdio: ["pipe", "pipe", "inherit"] });
  const queue = [];
  const waiters = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    const msg = JSON.parse(line);
    const w = waiters.findIndex((x) => x.pred(msg));
    if (w >= 0) waiters.splice(w, 1)[0].resolve(msg);
    else queue.push(msg);
  });
  return {
    child,
    send: (line) => child.stdin.write(line + "\n"),
    // The first output line (past or future) that satisfies pred.
    next(pred, what) {
      const i = queue.findIndex(pred);
      if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
        waiters.push({ pred, resolve: (m) => { clearTimeout(t); resolve(m); } });
      });
    },
    async end() {
      child.stdin.end();
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

for (const transport of ["polling", "websocket", "both"]) {
  test(`events both ways over ${transport}`, async () => {
    const server = await startServer();
    const cli = startCli([`http://127.0.0.1:${server.port}`, "--namespace", "/chat", "--transport", transport, "--ack"]);
    try {
      const c = await cli.next((m) => m.type === "connect", "connect");
      assert.equal(c.nsp, "/chat");
      cli.send('echo "hello" {"n":1} {"_binary":"AAEC"}');
      const ev = await cli.next((m) => m.type === "event" && m.event === "echo", "echo event");
      assert.deepEqual(ev.args, ["hello", { n: 1 }, { _binary: "AAEC" }]);
      const ack = await cli.next((m) => m.type === "ack", "ack");
      assert.deepEqual(ack.args, ["ok", "hello", { n: 1 }, { _binary: "AAEC" }]);
      assert.deepEqual(server.seen[0].args[2], Buffer.from([0, 1, 2]));
      server.io.of("/chat").emit("news", [1, 2], "x");
      const news = await cli.next((m) => m.type === "event" && m.event === "news", "news");
      assert.deepEqual(news.args, [[1, 2], "x"]);
      cli.send("not json {");
      await cli.next((m) => m.type === "input_error", "input error");
    } finally {
      await cli.end();
      await stopServer(server);
    }
  });
}

test("reconnects by itself when the server comes back", async () => {
  let server = await startServer();
  const port = server.port;
  const cli = startCli([`http://127.0.0.1:${port}`]);
  try {
    await cli.next((m) => m.type === "connect", "first connect");
    await stopServer(server);
    await cli.next((m) => m.type === "disconnect", "disconnect");
    await cli.next((m) => m.type === "reconnect_error", "a failed attempt");
    cli.send('queued "while offline"');
    server = await startServer(port);
    await cli.next((m) => m.type === "reconnect", "reconnect");
    await cli.next((m) => m.type === "connect", "connect again");
    cli.send('echo "back"');
    await cli.next((m) => m.type === "event" && m.event === "echo", "echo after reconnect");
    assert.deepEqual(server.seen.map((s) => s.event), ["queued", "echo"]);
  } finally {
    await cli.end();
    await stopServer(server);
  }
});
