#!/usr/bin/env node
// Abuse harness (issue 20, "Done when"): re-runs the attacks from outside against our
// servers and checks that they stay healthy while other clients are being served.
//
// For every (attack, server) pair: start the server (build/bin, 127.0.0.1, a free port,
// one event loop unless --threads), start a bystander (a normal client of that server
// doing an echo round trip every 100 ms and a fresh connect every second), run the
// attack for --duration seconds, then stop it and wait (bounded) for the server's fds
// and RSS to come back. Meanwhile the server's RSS and fds are sampled every 200 ms from
// /proc. After the wait, a fresh client must connect and get an answer.
//
// Verdict "ok" when: the bystander's slowest round trip and connect were under 2 s, the
// bystander saw no failure, the server is alive and answers, and its peak RSS stayed
// under the bound derived from the README's Limits (printed per row).
//
// Three threads: this one samples /proc and orchestrates; the attacker and the bystander
// each run in a worker of their own, so that a busy attacker does not delay the
// bystander's measurements (its own event-loop delay is reported as well).
//
// Usage: node bench/abuse.mjs [--duration S] [--only a,b] [--servers x,y] [--threads N]
//                             [--bin-dir DIR] [--json FILE] [--list]
// (bench/abuse.sh builds the servers, raises `ulimit -n` and runs this.)
// Exit status: 0 all ok, 1 a verdict failed, 2 could not run.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const here = path.dirname(fileURLToPath(import.meta.url));
const MiB = 1 << 20;
const KiB = 1 << 10;

// ---------------------------------------------------------------------------------
// The servers and the README's limits that bound what an attack can make them hold.
// ---------------------------------------------------------------------------------
const ENGINE_LIMITS = {
  maxMessage: 1e6, // max_http_buffer_size: a polling body, a WebSocket message
  outCap: 16 * MiB, // max_buffered_bytes: unsent output per connection (its real cost)
  budget: 64 * MiB, // max_inbound_buffered: inbound bytes held, all connections together
  headerBytes: 16 * KiB, // header bytes of a request
  requestTimeoutS: 30, // time for a whole HTTP request
};
const SERVERS = {
  'socketio-echo': { kind: 'sio', path: '/socket.io/', ...ENGINE_LIMITS, args: [] },
  'engineio-echo': { kind: 'eio', path: '/engine.io/', ...ENGINE_LIMITS, args: ['--host', '127.0.0.1'] },
  'websocket-echo': {
    kind: 'ws',
    path: '/',
    ...ENGINE_LIMITS,
    maxMessage: 16 * MiB, // max_message_size (ws)
    outCap: 64 * MiB, // max_buffered_bytes (ws)
    budget: 256 * MiB, // max_inbound_buffered (ws)
    args: ['--host', '127.0.0.1'],
  },
  'sio-chat': {
    kind: 'chat',
    path: '/socket.io/',
    ...ENGINE_LIMITS,
    maxMessage: 2 * MiB + 64 * KiB, // sio-chat sets max_http_buffer_size to 2 x --max-upload + 64 KiB
    args: ['--host', '127.0.0.1', '--log-level', 'warn'],
  },
};

// Allowances that are not limits of the README but part of every bound: the server's
// own footprint grows with the connections it holds (sockets, parsers, sessions) and
// the allocator keeps some of what it frees.
const PER_CONN_ALLOWANCE = 64 * KiB; // bookkeeping per connection the attacker holds
const PER_SESSION_ALLOWANCE = 4 * KiB; // per never-polled Engine.IO session (the issue measured ~1 KB)
const ALLOCATOR_SLACK = 32 * MiB;

const fmtMiB = (b) => `${Math.round(b / MiB)}`;

// ---------------------------------------------------------------------------------
// Raw client pieces for the attacker (the point is to misbehave, so no library).
// ---------------------------------------------------------------------------------
function connectTcp(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.removeListener('error', reject);
      s.on('error', () => {});
      s.setNoDelay(true);
      resolve(s);
    });
    s.once('error', reject);
  });
}

const WS_KEY = 'YWJ1c2UtaGFybmVzcyEhIQ==';
function upgradeRequest(target) {
  return (
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${WS_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`
  );
}

// A WebSocket after its 101; the socket is paused (never read) unless `read`.
async function wsOpen(port, target, { read = false } = {}) {
  const s = await connectTcp(port);
  s.write(upgradeRequest(target));
  await new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const onData = (d) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      s.removeListener('data', onData);
      s.removeListener('close', onClose);
      if (!head.subarray(0, 12).toString('latin1').includes(' 101')) {
        s.destroy();
        reject(new Error(`upgrade answered ${head.subarray(0, 12).toString('latin1')}`));
        return;
      }
      if (!read) s.pause();
      resolve();
    };
    const onClose = () => reject(new Error('closed before 101'));
    s.on('data', onData);
    s.once('close', onClose);
  });
  return s;
}

// A client frame header, masked with the all-zero key (the payload goes as it is).
function frameHeader(opcode, len, fin = true) {
  let h;
  if (len < 126) {
    h = Buffer.alloc(6);
    h[1] = 0x80 | len;
  } else if (len < 65536) {
    h = Buffer.alloc(8);
    h[1] = 0x80 | 126;
    h.writeUInt16BE(len, 2);
  } else {
    h = Buffer.alloc(14);
    h[1] = 0x80 | 127;
    h.writeBigUInt64BE(BigInt(len), 2);
  }
  h[0] = (fin ? 0x80 : 0) | opcode;
  return h;
}
const frame = (opcode, payload, fin = true) => Buffer.concat([frameHeader(opcode, payload.length, fin), payload]);
const textFrame = (s) => frame(1, Buffer.from(s));
const repeatBuf = (b, n) => Buffer.concat(Array(n).fill(b));

// Writes `buf` once; resolves false when the socket closed meanwhile.
function writeWait(s, buf) {
  if (s.destroyed) return Promise.resolve(false);
  if (s.write(buf)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (v) => {
      s.removeListener('drain', onDrain);
      s.removeListener('close', onClose);
      resolve(v);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    s.once('drain', onDrain);
    s.once('close', onClose);
  });
}

// Sequential HTTP/1.1 responses on a socket (Content-Length framed, as our servers answer).
function onResponses(s, cb) {
  let buf = Buffer.alloc(0);
  s.on('data', (d) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const len = cl ? Number(cl[1]) : 0;
      if (buf.length < end + 4 + len) return;
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const body = buf.subarray(end + 4, end + 4 + len);
      buf = buf.subarray(end + 4 + len);
      cb(status, body);
    }
  });
}

const handshakeRequest = (p) =>
  `GET ${p}?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`;

// An Engine.IO polling handshake on socket `s` (kept alive); resolves the sid.
function handshake(s, p) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err, sid) => {
      if (settled) return;
      settled = true;
      s.removeAllListeners('data');
      s.removeListener('close', onClose);
      err ? reject(err) : resolve(sid);
    };
    const onClose = () => finish(new Error('closed during handshake'));
    s.once('close', onClose);
    onResponses(s, (status, body) => {
      const sid = /"sid":"([^"]+)"/.exec(body.toString('latin1'))?.[1];
      if (status === 200 && sid) finish(null, sid);
      else finish(new Error(`handshake answered ${status}`));
    });
    s.write(handshakeRequest(p));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------
// The attacks. Each runs in the attacker worker as run(ctx): ctx.port, ctx.server (an
// entry of SERVERS), ctx.active (false once told to stop), ctx.track(socket),
// ctx.count(name, n). `servers`: where it applies. `bound(server)`: what the README's
// limits let it make the server hold, as { bytes, why }. `hold`: the attacker keeps
// its sockets after the attack and the server must drop them itself (recoveryS bounds
// the wait). `connectsMayFail`: fresh connects cannot succeed during it by design.
// ---------------------------------------------------------------------------------
const ALL = ['socketio-echo', 'engineio-echo', 'websocket-echo', 'sio-chat'];
const ECHO = ['socketio-echo', 'engineio-echo', 'websocket-echo'];
const ENGINE = ['socketio-echo', 'engineio-echo', 'sio-chat'];

function wsTarget(server) {
  return server.kind === 'ws' ? '/abuse' : `${server.path}?EIO=4&transport=websocket`;
}

// An echo request as one client frame, and the frames that open the session for it.
function tinyEcho(server) {
  if (server.kind === 'ws') return { open: [], msg: textFrame('x') };
  if (server.kind === 'eio') return { open: [], msg: textFrame('4x') };
  return { open: [textFrame('40')], msg: textFrame('42["echo","x"]') };
}

// Keeps `n` attacker slots busy: each runs `slot(i)` until it returns (its connection
// gone), then starts again after `retryMs`, while the attack is active.
async function slots(ctx, n, slot, { retryMs = 200, rampPerTick = n, tickMs = 100 } = {}) {
  const loops = [];
  for (let i = 0; i < n; i++) {
    loops.push(
      (async () => {
        while (ctx.active) {
          try {
            await slot(i);
          } catch (e) {
            ctx.count(`error: ${String(e.message).slice(0, 40)}`);
          }
          if (ctx.active) await sleep(retryMs);
        }
      })(),
    );
    if ((i + 1) % rampPerTick === 0) await sleep(tickMs);
  }
  await Promise.all(loops);
}

// Resolves when the socket closes (or at once if it has).
const closed = (s) => (s.destroyed ? Promise.resolve() : new Promise((r) => s.once('close', r)));

// Writes `batch` again and again, never reading, until the socket closes or the attack stops.
async function floodUnread(ctx, s, batch, perBatch) {
  while (ctx.active && !s.destroyed) {
    if (!(await writeWait(s, batch))) break;
    ctx.count('frames sent', perBatch);
  }
  ctx.count('connections closed by server', s.destroyed && ctx.active ? 1 : 0);
  await closed(s);
}

const ATTACKS = [
  {
    name: 'ping-flood',
    what: '4 clients send empty pings as fast as the server reads them and never read the pongs',
    servers: ALL,
    conns: 4,
    bound: (sv) => ({ bytes: 4 * sv.outCap, why: `4 conns x output cap ${fmtMiB(sv.outCap)} MiB` }),
    async run(ctx) {
      const batch = repeatBuf(frameHeader(9, 0), 10000);
      await slots(ctx, 4, async () => {
        const s = ctx.track(await wsOpen(ctx.port, wsTarget(ctx.server)));
        await floodUnread(ctx, s, batch, 10000);
      });
    },
  },
  {
    name: 'tiny-echo-unread',
    what: '4 clients send tiny echo requests and never read the answers',
    servers: ECHO,
    conns: 4,
    bound: (sv) => ({ bytes: 4 * sv.outCap, why: `4 conns x output cap ${fmtMiB(sv.outCap)} MiB` }),
    async run(ctx) {
      const { open, msg } = tinyEcho(ctx.server);
      const batch = repeatBuf(msg, 5000);
      await slots(ctx, 4, async () => {
        const s = ctx.track(await wsOpen(ctx.port, wsTarget(ctx.server)));
        for (const f of open) s.write(f);
        await floodUnread(ctx, s, batch, 5000);
      });
    },
  },
  {
    name: 'backlog-then-read',
    what: '4 clients queue ~80 % of the output cap in tiny echoes unread, then read at full speed (loop fairness)',
    servers: ECHO,
    conns: 4,
    bound: (sv) => ({ bytes: 4 * sv.outCap, why: `4 conns x output cap ${fmtMiB(sv.outCap)} MiB` }),
    async run(ctx) {
      const { open, msg } = tinyEcho(ctx.server);
      // ~80 bytes of real cost per queued answer (frame, 32 B, its queue slot x 2).
      const frames = Math.floor(ctx.server.outCap / 80);
      const per = 5000;
      const batch = repeatBuf(msg, per);
      await slots(ctx, 4, async () => {
        const s = ctx.track(await wsOpen(ctx.port, wsTarget(ctx.server)));
        for (const f of open) s.write(f);
        for (let sent = 0; sent < frames && ctx.active; sent += per) {
          if (!(await writeWait(s, batch))) return;
        }
        ctx.count('backlogs queued');
        await sleep(1000); // let the server queue its answers
        let got = 0;
        let last = Date.now();
        s.on('data', (d) => {
          got += d.length;
          last = Date.now();
        });
        s.resume();
        while (!s.destroyed && ctx.active && Date.now() - last < 1500) await sleep(100);
        ctx.count('bytes read back', got);
        s.destroy();
      });
    },
  },
  {
    name: 'many-headers',
    what: '80 requests/s, each with 3,000 distinct header names (~25 KB)',
    servers: ALL,
    conns: 80,
    bound: (sv) => ({ bytes: 80 * sv.headerBytes, why: '80 requests x 16 KiB header bytes' }),
    async run(ctx) {
      const sv = ctx.server;
      const target = sv.kind === 'ws' ? '/abuse' : `${sv.path}?EIO=4&transport=polling`;
      let head = `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
      if (sv.kind === 'ws') head += `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${WS_KEY}\r\nSec-WebSocket-Version: 13\r\n`;
      for (let i = 0; i < 3000; i++) head += `x-h${i.toString(36)}: v\r\n`;
      const req = Buffer.from(head + '\r\n');
      const one = async () => {
        const s = ctx.track(await connectTcp(ctx.port));
        let first = null;
        s.on('data', (d) => {
          if (first === null) first = d.subarray(0, 12).toString('latin1');
        });
        s.write(req);
        const t = setTimeout(() => s.destroy(), 5000);
        await closed(s);
        clearTimeout(t);
        ctx.count(`answer ${first ? first.slice(9, 12) : 'none'}`);
      };
      while (ctx.active) {
        for (let i = 0; i < 8; i++) one().catch((e) => ctx.count(`error: ${e.code ?? e.message}`));
        await sleep(100);
      }
    },
  },
  {
    name: 'fd-exhaustion',
    what: 'server under `ulimit -n 1024`; the attacker holds 1,500 idle connections (reopened 1 s after a close)',
    servers: ALL,
    conns: 1500,
    ulimit: 1024,
    connectsMayFail: 'at the fd limit new connections are accepted and closed (README: connections)',
    bound: () => ({ bytes: 0, why: '1,024 fds (conns x allowance)' }),
    boundConns: 1024,
    async run(ctx) {
      await slots(
        ctx,
        1500,
        async () => {
          const s = ctx.track(await connectTcp(ctx.port));
          ctx.count('connects');
          await closed(s);
          if (ctx.active) ctx.count('closed by server');
        },
        { retryMs: 1000, rampPerTick: 150 },
      );
    },
  },
  {
    name: 'slowloris',
    what: '2,000 connections trickle a request header every 5 s; held after the attack until the server drops them',
    servers: ALL,
    conns: 2000,
    hold: true,
    recoveryS: ENGINE_LIMITS.requestTimeoutS + 15,
    bound: (sv) => ({ bytes: 2000 * sv.headerBytes, why: '2,000 conns x 16 KiB header bytes' }),
    async run(ctx) {
      const sv = ctx.server;
      const target = sv.kind === 'ws' ? '/abuse' : `${sv.path}?EIO=4&transport=polling`;
      await slots(
        ctx,
        2000,
        async (i) => {
          const s = ctx.track(await connectTcp(ctx.port));
          s.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
          let n = 0;
          while (ctx.active && !s.destroyed) {
            await Promise.race([sleep(5000), closed(s)]);
            if (ctx.active && !s.destroyed) s.write(`x-slow-${i}-${n++}: z\r\n`);
          }
          if (ctx.active) ctx.count('closed by server');
          await closed(s);
        },
        { retryMs: 1000, rampPerTick: 200 },
      );
    },
  },
  {
    name: 'unfinished-messages',
    what: '24 WebSocket messages of the largest size, all but the last 1 KB sent, then held (half one frame, half 1 MiB fragments)',
    servers: ALL,
    conns: 24,
    bound: (sv) => {
      const all = 24 * sv.maxMessage;
      return all <= sv.budget
        ? { bytes: all, why: `24 x max message ${fmtMiB(sv.maxMessage)} MiB` }
        : { bytes: sv.budget, why: `inbound budget ${fmtMiB(sv.budget)} MiB` };
    },
    async run(ctx) {
      const sv = ctx.server;
      const total = sv.maxMessage;
      const sent = total - 1024;
      const zeros = Buffer.alloc(Math.min(sent, MiB));
      await slots(
        ctx,
        24,
        async (i) => {
          const s = ctx.track(await wsOpen(ctx.port, wsTarget(sv), { read: true }));
          s.on('data', () => {}); // read and dropped: a close (1013) is seen, and the slot reconnects
          if (sv.kind === 'sio' || sv.kind === 'chat') s.write(textFrame('40'));
          if (i % 2 === 0) {
            s.write(frameHeader(2, total));
            for (let n = 0; n < sent && ctx.active; n += zeros.length) {
              if (!(await writeWait(s, zeros.subarray(0, Math.min(zeros.length, sent - n))))) break;
            }
          } else {
            for (let n = 0; n < sent && ctx.active; n += zeros.length) {
              const piece = zeros.subarray(0, Math.min(zeros.length, sent - n));
              if (!(await writeWait(s, Buffer.concat([frameHeader(n === 0 ? 2 : 0, piece.length, false), piece])))) break;
            }
          }
          if (!s.destroyed) ctx.count('messages held');
          await closed(s);
          if (ctx.active) ctx.count('closed by server');
        },
        { retryMs: 1000 },
      );
    },
  },
  {
    name: 'post-bodies',
    what: '500 polling POSTs announcing the largest body, sent 1 KB short of it, then held',
    servers: ENGINE,
    conns: 500,
    bound: (sv) => {
      const all = 500 * sv.maxMessage;
      return all <= sv.budget
        ? { bytes: all, why: `500 x max body ${fmtMiB(sv.maxMessage)} MiB` }
        : { bytes: sv.budget, why: `inbound budget ${fmtMiB(sv.budget)} MiB` };
    },
    async run(ctx) {
      const sv = ctx.server;
      const body = Buffer.alloc(sv.maxMessage - 1024, 0x61);
      body[0] = 0x34; // "4aaaa…": a message, never finished
      await slots(
        ctx,
        500,
        async () => {
          const s = ctx.track(await connectTcp(ctx.port));
          const sid = await handshake(s, sv.path);
          onResponses(s, (status) => {
            ctx.count(`answer ${status}`);
            s.destroy();
          });
          s.write(
            `POST ${sv.path}?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
              `Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ${sv.maxMessage}\r\n\r\n`,
          );
          if (await writeWait(s, body)) ctx.count('bodies held');
          await closed(s);
        },
        { retryMs: 1000, rampPerTick: 50 },
      );
    },
  },
  {
    name: 'attachments-held',
    what: '50 Socket.IO clients each send a packet of 10 binary attachments and only 9 of them (~1 MB each), then hold',
    servers: ['socketio-echo', 'sio-chat'],
    conns: 50,
    bound: (sv) => {
      const all = 50 * 9 * 1e6;
      return all <= sv.budget
        ? { bytes: all, why: '50 x 9 x 1 MB' }
        : { bytes: sv.budget, why: `inbound budget ${fmtMiB(sv.budget)} MiB` };
    },
    async run(ctx) {
      const sv = ctx.server;
      const placeholders = Array.from({ length: 10 }, (_, n) => `{"_placeholder":true,"num":${n}}`).join(',');
      const event = sv.kind === 'chat' ? 'upload' : 'echo';
      const header = textFrame(`4510-["${event}",${placeholders}]`); // message, BINARY_EVENT, 10 attachments
      const att = frame(2, Buffer.alloc(1e6 - 64, 0x62));
      await slots(
        ctx,
        50,
        async () => {
          const s = ctx.track(await wsOpen(ctx.port, wsTarget(sv), { read: true }));
          s.on('data', () => {}); // read and dropped: a close (1013) is seen, and the slot reconnects
          s.write(textFrame('40'));
          s.write(header);
          let n = 0;
          for (; n < 9 && ctx.active; n++) if (!(await writeWait(s, att))) break;
          if (n === 9) ctx.count('packets held at 9/10');
          await closed(s);
          if (ctx.active) ctx.count('closed by server');
        },
        { retryMs: 1000 },
      );
    },
  },
  {
    name: 'handshake-flood',
    what: '50,000 polling handshakes never polled, in 5 waves (50 keep-alive connections each)',
    servers: ENGINE,
    conns: 50,
    recoveryS: 45 + 15, // never-polled sessions end after 45 s
    bound: () => ({ bytes: 50000 * PER_SESSION_ALLOWANCE, why: '50,000 never-polled sessions x 4 KiB' }),
    async run(ctx) {
      const sv = ctx.server;
      const waves = 5;
      const perWave = 10000;
      const waveMs = (ctx.durationS * 1000) / waves;
      for (let w = 0; w < waves && ctx.active; w++) {
        const t0 = Date.now();
        let left = perWave;
        await Promise.all(
          Array.from({ length: 50 }, async () => {
            const s = ctx.track(await connectTcp(ctx.port));
            const req = Buffer.from(handshakeRequest(sv.path));
            await new Promise((resolve) => {
              const next = () => {
                if (left <= 0 || !ctx.active || s.destroyed) return resolve();
                left--;
                s.write(req);
              };
              onResponses(s, (status) => {
                ctx.count(status === 200 ? 'sessions opened' : `answer ${status}`);
                next();
              });
              s.once('close', resolve);
              next();
            });
            s.destroy();
          }),
        );
        ctx.count('waves');
        const rest = waveMs - (Date.now() - t0);
        if (rest > 0 && ctx.active) await Promise.race([sleep(rest), ctx.stopped]);
      }
    },
  },
  {
    name: 'pipelined-handshakes',
    what: '4 times a second: a session\'s polling GET (which waits) with 3..50 handshakes pipelined behind it, held',
    servers: ENGINE,
    conns: 100,
    recoveryS: 25 + 15, // a waiting GET is answered by the next ping (ping_interval 25 s)
    bound: () => ({ bytes: 0, why: 'sessions x 4 KiB' }),
    boundSessions: 100 * 50,
    async run(ctx) {
      const sv = ctx.server;
      const counts = [3, 5, 8, 10, 20, 50];
      let k = 0;
      const one = async (n) => {
        const h = await connectTcp(ctx.port);
        const sid = await handshake(h, sv.path);
        h.destroy();
        const s = ctx.track(await connectTcp(ctx.port));
        let req = `GET ${sv.path}?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
        for (let i = 0; i < n; i++) req += handshakeRequest(sv.path);
        onResponses(s, (status) => ctx.count(`answer ${status}`));
        s.on('error', (e) => ctx.count(`socket ${e.code ?? 'error'}`));
        s.write(req);
        await closed(s);
      };
      while (ctx.active) {
        const n = counts[k++ % counts.length];
        one(n).catch((e) => ctx.count(`error: ${e.code ?? e.message}`));
        ctx.count('pipelines sent');
        await sleep(250);
      }
    },
  },
];

// ---------------------------------------------------------------------------------
// Attacker worker.
// ---------------------------------------------------------------------------------
async function attackerMain() {
  const { attack: name, server, port, durationS } = workerData;
  const attack = ATTACKS.find((a) => a.name === name);
  const sockets = new Set();
  const counters = {};
  let stop;
  const ctx = {
    port,
    server,
    durationS,
    active: true,
    stopped: new Promise((r) => (stop = r)),
    track(s) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      return s;
    },
    count(k, n = 1) {
      if (n) counters[k] = (counters[k] ?? 0) + n;
    },
  };
  const destroyAll = () => {
    for (const s of sockets) s.destroy();
  };
  parentPort.on('message', (m) => {
    if (m === 'stop') {
      ctx.active = false;
      stop();
      if (!attack.hold) destroyAll();
      parentPort.postMessage({ type: 'stopped', counters: { ...counters }, held: sockets.size });
    } else if (m === 'release') {
      destroyAll();
      parentPort.postMessage({ type: 'released' });
    } else if (m === 'held') {
      // Sockets the server has not closed yet (for a hold attack's recovery).
      parentPort.postMessage({ type: 'held', held: sockets.size });
    }
  });
  attack.run(ctx).catch((e) => ctx.count(`attack error: ${e.message}`));
}

// ---------------------------------------------------------------------------------
// Bystander worker: a normal client of the server, measuring what it gets.
// ---------------------------------------------------------------------------------
const RTT_EVERY_MS = 100;
const CONNECT_EVERY_MS = 1000;
const GIVE_UP_MS = 10000; // a round trip or connect not done by then is a failure

async function bystanderMain() {
  const { kind, url, path: enginePath } = workerData;
  const post = (m) => parentPort.postMessage(m);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();

  // Client adapters: connect(onDown) resolves { rtt(seq) -> Promise, close() }.
  let client;
  if (kind === 'sio' || kind === 'chat') {
    const { io } = await import('socket.io-client');
    client = (onDown) =>
      new Promise((resolve, reject) => {
        const s = io(url, { forceNew: true, reconnection: false, timeout: GIVE_UP_MS });
        s.once('connect', () => {
          s.once('disconnect', (r) => onDown?.(`disconnect: ${r}`));
          resolve({
            rtt: (seq) =>
              new Promise((res, rej) => {
                const cb = (err) => (err ? rej(err) : res());
                if (kind === 'chat') s.timeout(GIVE_UP_MS).emit('rooms', cb);
                else s.timeout(GIVE_UP_MS).emit('echo', seq, cb);
              }),
            close: () => s.disconnect(),
          });
        });
        s.once('connect_error', (e) => {
          s.close();
          reject(e);
        });
      });
  } else if (kind === 'eio') {
    const { Socket } = await import('engine.io-client');
    client = (onDown) =>
      new Promise((resolve, reject) => {
        const s = new Socket(url, { path: enginePath });
        const waiting = new Map();
        s.on('message', (d) => {
          waiting.get(String(d))?.();
          waiting.delete(String(d));
        });
        s.once('open', () => {
          s.once('close', (r) => onDown?.(`close: ${r}`));
          resolve({
            rtt: (seq) =>
              new Promise((res) => {
                waiting.set(String(seq), res);
                s.send(String(seq));
              }),
            close: () => s.close(),
          });
        });
        s.once('error', (e) => {
          s.close();
          reject(e instanceof Error ? e : new Error(String(e)));
        });
      });
  } else {
    const { default: WebSocket } = await import('ws');
    client = (onDown) =>
      new Promise((resolve, reject) => {
        const s = new WebSocket(`${url.replace(/^http/, 'ws')}/bystander`);
        const waiting = new Map();
        s.on('message', (d) => {
          waiting.get(String(d))?.();
          waiting.delete(String(d));
        });
        s.once('open', () => {
          s.once('close', (code) => onDown?.(`close ${code}`));
          resolve({
            rtt: (seq) =>
              new Promise((res) => {
                waiting.set(String(seq), res);
                s.send(String(seq));
              }),
            close: () => s.close(),
          });
        });
        s.once('error', (e) => {
          s.terminate();
          reject(e);
        });
      });
  }
  const withDeadline = (p, what) =>
    Promise.race([p, sleep(GIVE_UP_MS).then(() => Promise.reject(new Error(`${what} over ${GIVE_UP_MS} ms`)))]);

  // The steady clients: one round trip every 100 ms, taken in turn (sio-chat allows a
  // socket 5 requests a second, so it gets three sockets, each asked every 300 ms).
  const nMain = kind === 'chat' ? 3 : 1;
  const mains = Array(nMain).fill(null);
  let seq = 0;
  let turn = 0;
  let pendingSince = null; // start of the round trip in flight
  let stopped = false;
  const reopen = async (i) => {
    while (!stopped) {
      try {
        mains[i] = await withDeadline(
          client((why) => {
            if (!stopped) post({ type: 'fail', what: `steady client ${why}` });
            mains[i] = null;
            reopen(i);
          }),
          'connect',
        );
        return;
      } catch (e) {
        post({ type: 'fail', what: `steady client connect: ${e.message}` });
        await sleep(500);
      }
    }
  };
  await Promise.all(mains.map((_, i) => reopen(i)));
  const rttTimer = setInterval(async () => {
    if (pendingSince !== null) return;
    const c = mains[turn++ % nMain];
    if (!c) return;
    const t0 = performance.now();
    pendingSince = t0;
    try {
      await withDeadline(c.rtt(++seq), 'round trip');
      post({ type: 'rtt', t: Date.now(), ms: performance.now() - t0 });
    } catch (e) {
      post({ type: 'fail', what: e.message });
    }
    pendingSince = null;
  }, RTT_EVERY_MS);

  let connectsPending = new Set();
  const connectOnce = async (report = true) => {
    const t0 = performance.now();
    const token = {};
    connectsPending.add(token);
    try {
      const c = await withDeadline(client(null), 'connect');
      const ms = performance.now() - t0;
      if (report) post({ type: 'connect', t: Date.now(), ms });
      return c;
    } catch (e) {
      if (report) post({ type: 'fail', what: `connect: ${e.message}`, connect: true });
      throw e;
    } finally {
      connectsPending.delete(token);
    }
  };
  const connectTimer = setInterval(() => {
    if (connectsPending.size >= 10) return;
    connectOnce().then((c) => c.close(), () => {});
  }, CONNECT_EVERY_MS);

  post({ type: 'ready' });
  parentPort.on('message', async (m) => {
    if (m === 'window') {
      // Round trip / connects still in flight count with their age so far.
      post({
        type: 'window',
        pendingRtt: pendingSince === null ? 0 : performance.now() - pendingSince,
        lagMaxMs: lag.max / 1e6,
      });
      lag.reset();
    } else if (m === 'probe') {
      // After the attack: a fresh client must connect and get an answer.
      try {
        const c = await connectOnce(false);
        await withDeadline(c.rtt(++seq), 'probe round trip');
        c.close();
        post({ type: 'probe', ok: true });
      } catch (e) {
        post({ type: 'probe', ok: false, what: e.message });
      }
    } else if (m === 'stop') {
      stopped = true;
      clearInterval(rttTimer);
      clearInterval(connectTimer);
      for (const c of mains) c?.close();
      post({ type: 'stopped' });
    }
  });
}

// ---------------------------------------------------------------------------------
// Main thread: the server, /proc sampling, the run of each pair, the table.
// ---------------------------------------------------------------------------------
function parseArgs(argv) {
  const o = { duration: 20, only: null, servers: null, threads: 1, binDir: path.join(here, '..', 'build', 'bin'), json: null, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--duration') o.duration = Number(v());
    else if (a === '--only') o.only = v().split(',');
    else if (a === '--servers') o.servers = v().split(',');
    else if (a === '--threads') o.threads = Number(v());
    else if (a === '--bin-dir') o.binDir = path.resolve(v());
    else if (a === '--json') o.json = v();
    else if (a === '--list') o.list = true;
    else if (a === '-h' || a === '--help') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 25).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.duration > 0)) throw new Error('--duration must be > 0');
  for (const n of o.only ?? []) if (!ATTACKS.some((a) => a.name === n)) throw new Error(`no attack ${n} (--list)`);
  for (const n of o.servers ?? []) if (!SERVERS[n]) throw new Error(`no server ${n}`);
  return o;
}

function procSample(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]); // utime + stime
    return { rss, fds, ticks };
  } catch {
    return null;
  }
}

async function startServer(name, opts, ulimit) {
  const bin = path.join(opts.binDir, name);
  if (!existsSync(bin)) throw new Error(`${bin} is missing (scripts/build.sh ${name})`);
  const sv = SERVERS[name];
  const args = ['--port', '0', '--threads', String(opts.threads), ...sv.args];
  const lim = ulimit ? `ulimit -n ${ulimit} && ` : '';
  // exec: the shell becomes the server, so proc.pid is the server's pid.
  const proc = spawn('bash', ['-c', `${lim}exec "$0" "$@"`, bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => {
    if (stderr.length < 8192) stderr += d;
  });
  const exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d) => {
      if (out === null) return;
      out += d;
      const m = /listening on http:\/\/[^\s:]+:(\d+)/.exec(out);
      if (m) {
        out = null;
        resolve(Number(m[1]));
      }
    });
    exited.then(({ code, signal }) => reject(new Error(`${name} exited (${code ?? signal}) before listening: ${stderr}`)));
    setTimeout(() => reject(new Error(`${name} did not print "listening on" in 10 s`)), 10000);
  });
  let exit = null;
  exited.then((e) => (exit = e));
  return {
    proc,
    port,
    exited: () => exit,
    stderr: () => stderr,
    async stop() {
      if (exit) return 'exited before';
      proc.kill('SIGTERM');
      const r = await Promise.race([exited.then(() => 'stopped'), sleep(5000).then(() => null)]);
      if (r) return r;
      proc.kill('SIGKILL');
      await exited;
      return 'SIGKILL (did not stop in 5 s)';
    },
  };
}

function startWorker(data) {
  const w = new Worker(fileURLToPath(import.meta.url), { workerData: data });
  const waiters = [];
  const messages = [];
  w.on('message', (m) => {
    const i = waiters.findIndex((x) => x.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0].resolve(m);
    else messages.push(m);
  });
  w.on('error', (e) => messages.push({ type: 'fail', what: `worker error: ${e.message}` }));
  return {
    w,
    messages,
    // The next message of `type` (those before it stay in `messages`).
    next(type, timeoutMs = 30000) {
      const i = messages.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(messages.splice(i, 1)[0]);
      return new Promise((resolve, reject) => {
        const entry = { type, resolve };
        waiters.push(entry);
        setTimeout(() => {
          const k = waiters.indexOf(entry);
          if (k >= 0) {
            waiters.splice(k, 1);
            reject(new Error(`no ${type} from worker in ${timeoutMs} ms`));
          }
        }, timeoutMs);
      });
    },
    send: (m) => w.postMessage(m),
  };
}

const pct = (xs, p) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const RECOVERY_S = 15; // default bounded wait for fds / RSS to come back after an attack
const FD_SLACK = 8; // the bystander's fresh connects come and go

async function runPair(attack, name, opts) {
  const sv = SERVERS[name];
  const server = await startServer(name, opts, attack.ulimit);
  const pid = server.proc.pid;
  const url = `http://127.0.0.1:${server.port}`;
  const by = startWorker({ role: 'bystander', kind: sv.kind, url, path: sv.path });
  const row = { attack: attack.name, server: name };
  let samples = [];
  let sampler = null;
  try {
    await by.next('ready', 20000).catch((e) => {
      // Before any attack: say what the bystander saw.
      const seen = by.messages.filter((m) => m.type === 'fail').map((m) => m.what);
      throw new Error(`${e.message}; bystander: ${seen.slice(0, 3).join('; ') || 'no failure reported'}`);
    });
    await sleep(1500); // warm-up: the steady client upgraded, a few connects done
    const base = procSample(pid);
    row.baseRssMB = base.rss / MiB;
    row.baseFds = base.fds;
    by.messages.length = 0; // measure the attack window only
    by.send('window');
    await by.next('window');

    const ak = startWorker({ role: 'attacker', attack: attack.name, server: sv, port: server.port, durationS: opts.duration });
    const t0 = Date.now();
    sampler = setInterval(() => {
      const s = procSample(pid);
      if (s) samples.push({ t: Date.now() - t0, ...s });
    }, 200);
    await sleep(opts.duration * 1000);
    ak.send('stop');
    const stopped = await ak.next('stopped', 30000);
    const tEnd = Date.now();
    row.attacker = stopped.counters;
    by.send('window');
    const win = await by.next('window');
    const attackWindow = by.messages.splice(0);

    const rtts = attackWindow.filter((m) => m.type === 'rtt').map((m) => m.ms);
    const conns = attackWindow.filter((m) => m.type === 'connect').map((m) => m.ms);
    const fails = attackWindow.filter((m) => m.type === 'fail');
    const connectFails = fails.filter((f) => f.connect);
    const otherFails = fails.filter((f) => !f.connect);
    row.rtts = rtts.length;
    row.rttP99 = pct(rtts, 99);
    row.rttMax = Math.max(0, ...rtts, win.pendingRtt);
    row.connP99 = pct(conns, 99);
    row.connMax = Math.max(0, ...conns);
    row.connects = conns.length;
    row.connectFails = connectFails.length;
    row.fails = otherFails.length + (attack.connectsMayFail ? 0 : connectFails.length);
    row.failExamples = [...new Set(fails.map((f) => f.what))].slice(0, 3);
    row.bystanderLagMs = win.lagMaxMs;
    const during = samples.filter((s) => s.t <= tEnd - t0 + 200);
    row.peakRssMB = Math.max(base.rss, ...during.map((s) => s.rss)) / MiB;
    row.peakFds = Math.max(base.fds, ...during.map((s) => s.fds));
    const last = during.at(-1) ?? base;
    row.cpuPct = ((last.ticks - base.ticks) / ((tEnd - t0) / 1000)) ; // 100 ticks/s: ticks per s = % of a core

    // The bound: the README's limits for what this attack can make the server hold,
    // plus the server's own allowance for the connections / sessions involved.
    const b = attack.bound(sv);
    const nConns = attack.boundConns ?? attack.conns;
    const sessions = attack.boundSessions ?? 0;
    const bound = base.rss + b.bytes + nConns * PER_CONN_ALLOWANCE + sessions * PER_SESSION_ALLOWANCE + ALLOCATOR_SLACK;
    row.boundMB = bound / MiB;
    row.boundWhy = `base ${row.baseRssMB.toFixed(0)} + ${b.why} + ${nConns} x 64 KiB` +
      (sessions ? ` + ${sessions} sessions x 4 KiB` : '') + ' + 32 MiB slack';

    // Recovery: a bounded wait for the fds to come back to the baseline and the RSS
    // near it (half the rise gone, or within 16 MiB). For a hold attack the attacker
    // keeps its sockets: the server has to drop them itself.
    const recoveryS = attack.recoveryS ?? RECOVERY_S;
    const rssTarget = base.rss + Math.max(16 * MiB, 0.5 * (row.peakRssMB * MiB - base.rss));
    row.recoveryS = recoveryS;
    row.fdsBackS = null;
    row.rssBackS = null;
    const tr = Date.now();
    while (Date.now() - tr < recoveryS * 1000 && !server.exited()) {
      const s = procSample(pid);
      const t = (Date.now() - tr) / 1000;
      if (s && row.fdsBackS === null && s.fds <= base.fds + FD_SLACK) row.fdsBackS = t;
      if (s && row.rssBackS === null && s.rss <= rssTarget) row.rssBackS = t;
      if (row.fdsBackS !== null && row.rssBackS !== null) break;
      await sleep(200);
    }
    clearInterval(sampler);
    sampler = null;
    const after = procSample(pid);
    row.afterRssMB = after ? after.rss / MiB : null;
    row.afterFds = after ? after.fds : null;
    if (attack.hold) {
      ak.send('held');
      row.stillHeldByServer = (await ak.next('held')).held;
    }
    ak.send('release');
    await ak.next('released').catch(() => {});
    await ak.w.terminate();

    // Alive and answering: the process runs and a fresh client connects and echoes.
    by.send('probe');
    const probe = await by.next('probe', 25000);
    row.alive = !server.exited() && probe.ok;
    if (!probe.ok) row.failExamples.push(`probe: ${probe.what}`);
    by.send('stop');
    await by.next('stopped').catch(() => {});
  } finally {
    if (sampler) clearInterval(sampler);
    await by.w.terminate();
    const ex = server.exited();
    if (ex) {
      row.alive = false;
      row.exit = ex.signal ?? `code ${ex.code}`;
      row.stderr = server.stderr().slice(-400);
    }
    row.stop = await server.stop();
  }
  const maxMs = Math.max(row.rttMax ?? Infinity, attack.connectsMayFail ? 0 : row.connMax ?? Infinity);
  row.ok = maxMs < 2000 && row.fails === 0 && row.alive === true && row.peakRssMB < row.boundMB;
  return row;
}

function table(rows) {
  const head = ['attack', 'server', 'rtt p99 ms', 'rtt max ms', 'connect p99 / max ms', 'failures', 'peak RSS MB (base)', 'RSS bound MB', 'peak fds (base)', 'server CPU %', 'alive', 'fds back', 'RSS after MB', 'verdict'];
  const f0 = (x) => (x === undefined || x === null ? '-' : Number(x).toFixed(0));
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const fails = `${r.fails ?? '-'}${r.connectFails ? ` (+${r.connectFails} connects refused${ATTACKS.find((a) => a.name === r.attack).connectsMayFail ? ', expected' : ''})` : ''}`;
    const back = (t) => (t === null || t === undefined ? `no, ${r.recoveryS ?? '-'} s` : `${t.toFixed(1)} s`);
    const fdsBack = r.fdsBackS === null ? `no (${f0(r.afterFds)} after ${r.recoveryS} s)` : back(r.fdsBackS);
    const rssAfter = `${f0(r.afterRssMB)}${r.rssBackS === null ? ` (not back in ${r.recoveryS} s)` : ''}`;
    lines.push(
      `| ${r.attack} | ${r.server} | ${f0(r.rttP99)} | ${f0(r.rttMax)} | ${f0(r.connP99)} / ${f0(r.connMax)} | ${fails} | ` +
        `${f0(r.peakRssMB)} (${f0(r.baseRssMB)}) | ${f0(r.boundMB)} | ${f0(r.peakFds)} (${f0(r.baseFds)}) | ${f0(r.cpuPct)} | ` +
        `${r.alive ? 'yes' : `NO${r.exit ? ` (${r.exit})` : ''}`} | ${fdsBack} | ${rssAfter} | ${r.ok ? 'ok' : 'FAIL'} |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`abuse.mjs: ${e.message}`);
    process.exit(2);
  }
  if (opts.list) {
    for (const a of ATTACKS) console.log(`${a.name.padEnd(22)} ${a.servers.join(',')}\n${''.padEnd(22)} ${a.what}`);
    return;
  }
  const pairs = [];
  for (const a of ATTACKS) {
    if (opts.only && !opts.only.includes(a.name)) continue;
    for (const s of a.servers) if (!opts.servers || opts.servers.includes(s)) pairs.push([a, s]);
  }
  console.log(`abuse: ${pairs.length} runs of ${opts.duration} s, servers on ${opts.threads} event loop(s)`);
  const rows = [];
  for (const [a, s] of pairs) {
    const t = Date.now();
    let row;
    try {
      row = await runPair(a, s, opts);
    } catch (e) {
      row = { attack: a.name, server: s, ok: false, alive: false, error: e.message };
    }
    rows.push(row);
    const extra = row.error ? ` error: ${row.error}` : '';
    console.log(
      `${row.ok ? 'ok  ' : 'FAIL'} ${a.name} / ${s} (${((Date.now() - t) / 1000).toFixed(0)} s)${extra}\n` +
        `     attacker: ${JSON.stringify(row.attacker ?? {})}\n` +
        (row.failExamples?.length ? `     bystander failures: ${row.failExamples.join('; ')}\n` : '') +
        (row.boundWhy ? `     bound: ${row.boundWhy}; bystander loop delay max ${row.bystanderLagMs?.toFixed(0)} ms; ${row.rtts} round trips, ${row.connects} connects\n` : '') +
        (row.stillHeldByServer !== undefined ? `     attacker sockets the server had not closed after the wait: ${row.stillHeldByServer}\n` : '') +
        (row.stderr ? `     server stderr: ${row.stderr}\n` : '') +
        (row.stop && row.stop !== 'stopped' ? `     server stop: ${row.stop}\n` : ''),
    );
  }
  console.log(table(rows));
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ duration: opts.duration, threads: opts.threads, rows }, null, 2));
  const bad = rows.filter((r) => !r.ok).length;
  console.log(bad ? `\n${bad} of ${rows.length} runs FAILED` : `\nall ${rows.length} runs ok`);
  process.exitCode = bad ? 1 : 0;
}

if (isMainThread) await main();
else if (workerData.role === 'attacker') await attackerMain();
else await bystanderMain();
