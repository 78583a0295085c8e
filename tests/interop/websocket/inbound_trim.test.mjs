// After a burst of unfinished WebSocket messages, the memory they held goes back
// to the system once the inbound budget drains (README, Limits: "once use falls
// from a quarter to a sixteenth, freed memory goes back to the system"). glibc
// keeps what the loop thread's arena freed (its mmap threshold rises with the
// first large frees), so without malloc_trim the process stays at the burst's
// peak: websocket-echo (sio::ws::Server) kept 193 MB of a 346 MB peak after the
// abuse harness's unfinished-messages attack (bench/abuse.mjs), engineio-echo
// came back.
//
// Three rounds: 3 connections each send a 16 MiB message in 1 MiB fragments
// (its buffer grows fragment by fragment, and each larger copy frees the last),
// a ping whose pong says the server read it all, then all go. Budget 64 MiB:
// 48 MiB held passes a quarter (16), and gone falls under a sixteenth (4). The
// RSS must then come back to within a margin of the baseline (a bounded wait on
// that state). Without the trim, websocket-echo kept 20 MiB of a 103 MiB peak.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { programCommand, startEngineIoEcho, startProgram } from '../lib/server.mjs';
import { FrameReader, afterHttpResponse, clientFrame, tcpConnect, upgradeRequest, waitUntil } from '../lib/ws-raw.mjs';

const MiB = 1 << 20;
const BUDGET = 64 * MiB;
const MESSAGE = 16 * MiB;
const FRAGMENT = MiB;
const CONNS = 3;
const ROUNDS = 3;
// RSS may stay this far above the baseline (page tables, arenas' bookkeeping, the
// loop's read buffer): far below one round's 48 MiB.
const MARGIN = 4 * MiB;
const TRIM_WAIT_MS = 8000; // the trim runs a second after the budget drains
const TEST_TIMEOUT_MS = 60000;

const servers = [
  {
    name: 'websocket-echo',
    start: () => startProgram(programCommand('websocket-echo'), ['--port', '0', '--max-inbound-buffered', String(BUDGET)]),
    target: '/any',
  },
  {
    name: 'engineio-echo',
    start: () =>
      startEngineIoEcho({ pingInterval: 20000, pingTimeout: 20000, maxPayload: 17 * MiB, maxInboundBuffered: BUDGET }),
    target: '/engine.io/?EIO=4&transport=websocket',
  },
];

const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;

// Opens a WebSocket, sends an unfinished message of MESSAGE bytes in fragments and
// a ping; resolves once the pong says the server has read them.
async function holdMessage(port, target) {
  const sock = await tcpConnect(port);
  const reader = new FrameReader();
  let head = Buffer.alloc(0);
  let upgraded = false;
  const pong = new Promise((resolve, reject) => {
    sock.on('data', (c) => {
      if (!upgraded) {
        head = Buffer.concat([head, c]);
        const rest = afterHttpResponse(head);
        if (rest === null) return;
        upgraded = true;
        c = rest;
      }
      for (const f of reader.push(c)) if (f.opcode === 0xa) resolve();
    });
    sock.on('close', () => reject(new Error('closed before the pong')));
  });
  sock.write(upgradeRequest(target));
  const zeros = Buffer.alloc(FRAGMENT);
  const mask = Buffer.alloc(4);
  for (let sent = 0; sent < MESSAGE; sent += FRAGMENT)
    sock.write(clientFrame(sent === 0 ? 0x2 : 0x0, zeros, { fin: false, mask }));
  sock.write(clientFrame(0x9, 'read', { mask }));
  await pong;
  return sock;
}

for (const s of servers) {
  describe(`${s.name}: memory held by unfinished messages goes back to the system`, () => {
    let server;
    before(async () => {
      server = await s.start();
    });
    after(async () => {
      await server?.stop();
    });

    test('after three bursts past a quarter of the budget, RSS comes back near the baseline', { timeout: TEST_TIMEOUT_MS }, async () => {
      const pid = server.proc.pid;
      const base = rss(pid);
      let peak = base;
      for (let round = 0; round < ROUNDS; round++) {
        const socks = await Promise.all(Array.from({ length: CONNS }, () => holdMessage(server.port, s.target)));
        peak = Math.max(peak, rss(pid));
        await Promise.all(
          socks.map((k) => {
            const gone = new Promise((r) => k.once('close', r));
            k.destroy();
            return gone;
          }),
        );
      }
      assert.ok(peak - base > CONNS * MESSAGE / 2, `the burst was held (RSS ${base} -> ${peak})`);
      const back = await waitUntil(() => rss(pid) <= base + MARGIN, TRIM_WAIT_MS, 100);
      assert.ok(back, `RSS back within ${MARGIN / MiB} MiB of ${(base / MiB).toFixed(1)} MiB: ${(rss(pid) / MiB).toFixed(1)} MiB (peak ${(peak / MiB).toFixed(1)})`);
    });
  });
}
