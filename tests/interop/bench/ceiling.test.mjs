// bench/ceiling (the "limit" column of bench/compare.sh) stays a server that
// sio-bench can measure: with --fake-sio every scenario compare.sh runs
// completes events with no error, and without it a plain WebSocket client is
// echoed. No timing is asserted: speed is bench/compare.sh's business.
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { programCommand, startProgram } from '../lib/server.mjs';
import { EventQueue, nextEvent } from '../lib/wait.mjs';

function sioBench(args) {
  const [exe] = programCommand('sio-bench');
  return new Promise((resolve, reject) => {
    execFile(exe, [...args, '--duration', '1', '--warmup', '0.2', '--json', '--quiet'], { timeout: 60000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(new Error(`sio-bench failed: ${err.message}\n${stderr}`));
        resolve({ code: err ? err.code : 0, result: JSON.parse(stdout) });
      });
  });
}

describe('ceiling --fake-sio under sio-bench', () => {
  let server;
  before(async () => {
    server = await startProgram(programCommand('ceiling'), ['--port', '0', '--fake-sio']);
  });
  after(async () => {
    await server?.stop();
  });

  const scenarios = [
    ['echo', 'websocket', ['--conns', '4', '--inflight', '4']],
    ['echo', 'polling', ['--conns', '4', '--inflight', '2']],
    ['rate', 'websocket', ['--conns', '4', '--rate', '500']],
    ['bcast', 'websocket', ['--conns', '8', '--inflight', '2']],
    ['connect', 'websocket', ['--conns', '4']],
    ['connect', 'polling', ['--conns', '4']],
    ['idle', 'websocket', ['--conns', '20', '--settle', '0.2']],
  ];
  for (const [scenario, transport, extra] of scenarios) {
    test(`${scenario} over ${transport}: no errors`, async () => {
      const { code, result } = await sioBench([scenario, '--url', server.url, '--transport', transport, ...extra]);
      assert.equal(result.errors.total, 0, `errors: ${JSON.stringify(result.errors)}`);
      assert.equal(code, 0);
      if (scenario !== 'idle') assert.ok(result.events > 0, `no ${result.unit} completed`);
    });
  }
});

test('ceiling without --fake-sio echoes plain WebSocket messages', async (t) => {
  const server = await startProgram(programCommand('ceiling'), ['--port', '0']);
  t.after(() => server.stop());
  const ws = new WebSocket(server.url.replace(/^http/, 'ws') + '/any');
  const messages = new EventQueue(ws, 'message', (data, binary) => ({ data: Buffer.from(data), binary }));
  await nextEvent(ws, 'open');
  const big = Buffer.alloc(70000, 3);  // a 64-bit length
  ws.send('hello');
  ws.send(big);
  const first = await messages.next();
  assert.deepEqual({ text: first.data.toString(), binary: first.binary }, { text: 'hello', binary: false });
  const second = await messages.next();
  assert.ok(second.binary && second.data.equals(big));
  ws.close();
});
