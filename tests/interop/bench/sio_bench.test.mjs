// sio-bench, briefly, against both servers it is meant to compare: our
// socketio-echo and the Node reference (bench/node/echo-server.mjs, socket.io
// from npm). Every scenario and transport must complete events with no error
// counted, which proves the tool speaks the protocol the way both servers
// expect. And a server that is not there must show up as errors, not as a
// quiet zero. No timing is asserted: speed is bench/compare.sh's business.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Pki } from '../lib/pki.mjs';
import { programCommand, startProgram } from '../lib/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// A run's length: long enough for many events, short enough for a test.
const RUN = ['--duration', '1', '--warmup', '0.2', '--json', '--quiet'];
// Bound for one sio-bench run (1.2 s of load plus set-up, on a loaded machine).
const RUN_TIMEOUT_MS = 60000;

// Runs sio-bench with `args`; resolves with { code, result } (result: the JSON).
function sioBench(args) {
  const [exe] = programCommand('sio-bench');
  return new Promise((resolve, reject) => {
    execFile(exe, [...args, ...RUN], { timeout: RUN_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(new Error(`sio-bench failed: ${err.message}\n${stderr}`));
      try {
        resolve({ code: err ? err.code : 0, result: JSON.parse(stdout) });
      } catch (e) {
        reject(new Error(`sio-bench printed no JSON (${e.message}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

// Both servers over TLS too (https/wss; sio-bench does not check the certificate).
let pki;
let cert;
function tlsArgs() {
  if (!pki) {
    pki = new Pki();
    cert = pki.makeLeaf('bench-server');
  }
  return ['--tls-cert', cert.cert, '--tls-key', cert.key];
}
after(() => pki?.remove());

const servers = {
  'socketio-echo': () => startProgram(programCommand('socketio-echo'), ['--port', '0', '--threads', '1']),
  'node reference': () =>
    startProgram([process.execPath, path.join(root, 'bench/node/echo-server.mjs')], ['--port', '0'], {
      label: 'node-echo-server',
    }),
  'socketio-echo over TLS': () =>
    startProgram(programCommand('socketio-echo'), ['--port', '0', '--threads', '1', ...tlsArgs()]),
  'node reference over TLS': () =>
    startProgram([process.execPath, path.join(root, 'bench/node/echo-server.mjs')], ['--port', '0', ...tlsArgs()], {
      label: 'node-echo-server-tls',
    }),
};

const scenarios = [
  ['echo', 'websocket', ['--conns', '4', '--inflight', '4']],
  ['echo', 'polling', ['--conns', '4', '--inflight', '2']],
  ['echo', 'upgrade', ['--conns', '4', '--inflight', '2']],
  ['rate', 'websocket', ['--conns', '4', '--rate', '500']],
  ['bcast', 'websocket', ['--conns', '8', '--inflight', '2']],
  ['connect', 'websocket', ['--conns', '4']],
  ['connect', 'polling', ['--conns', '4']],
];

for (const [name, start] of Object.entries(servers)) {
  describe(`sio-bench against ${name}`, () => {
    let server;
    before(async () => {
      server = await start();
      if (name.endsWith('over TLS')) assert.match(server.url, /^https:/);
    });
    after(async () => {
      await server?.stop();
    });

    for (const [scenario, transport, extra] of scenarios) {
      test(`${scenario} over ${transport}: events, no errors`, async () => {
        const { code, result } = await sioBench([
          scenario, '--url', server.url, '--transport', transport, '--server-pid', String(server.proc.pid), ...extra,
        ]);
        assert.equal(result.aborted, null);
        assert.equal(result.errors.total, 0, `errors: ${JSON.stringify(result.errors)}`);
        assert.equal(code, 0);
        assert.ok(result.events > 0, `no ${result.unit} completed`);
        assert.ok(result.latency_us.count > 0);
        assert.ok(result.server.rss_end > 0, 'the server was not sampled');
      });
    }

    test('idle: connections held, memory sampled', async () => {
      const { code, result } = await sioBench([
        'idle', '--url', server.url, '--conns', '20', '--settle', '0.2', '--server-pid', String(server.proc.pid),
      ]);
      assert.equal(result.errors.total, 0, `errors: ${JSON.stringify(result.errors)}`);
      assert.equal(code, 0);
      assert.equal(result.conns_joined_end, 20);
      // Growth may be zero: earlier runs can leave memory the server reuses.
      assert.ok(result.server.rss_end > 0 && result.server.rss_per_conn >= 0);
    });
  });
}

test('a server that is not there is counted as refused connections', async () => {
  // Port 1 on loopback: nothing listens there.
  const { code, result } = await sioBench(['echo', '--url', 'http://127.0.0.1:1', '--conns', '3']);
  assert.equal(result.errors.refused, 3);
  assert.match(result.aborted, /no connection joined/);
  assert.equal(code, 2);
});
