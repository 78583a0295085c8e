// Test harness for scale-out: a private redis-server and nginx on free
// loopback ports, each with its own temp dir, stopped after the test.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '../lib/wait.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// How long redis-server or nginx may take to accept connections.
const READY_TIMEOUT_MS = 10000;

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Resolves once something accepts TCP connections on `port`; rejects when
// `exited` resolves first (the program died) or after the bound.
async function accepting(port, what, exited) {
  const tryOnce = () =>
    new Promise((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => { sock.destroy(); resolve(true); });
      sock.once('error', () => resolve(false));
    });
  let gone = false;
  const died = exited.then(() => {
    gone = true;
    throw new Error(`${what} exited before accepting connections`);
  });
  const loop = async () => {
    // Each try is a real connection attempt; the bound is withTimeout's.
    while (!gone && !(await tryOnce())) await new Promise((r) => setTimeout(r, 20));
  };
  try {
    await withTimeout(Promise.race([loop(), died]), READY_TIMEOUT_MS, `${what} to accept connections on port ${port}`);
  } finally {
    gone = true;  // ends the loop whatever happened
    died.catch(() => {});
  }
}

function run(cmd, args, label) {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (c) => { stderr += c; });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.once('error', (e) => { stderr += `cannot start ${label}: ${e.message}`; });
  return { proc, exited, stderr: () => stderr };
}

// `signal`: SIGKILL for redis-server (one process); nginx gets SIGTERM, so
// that its master stops its worker before exiting (a killed master leaves
// the worker running). Whatever is still up after READY_TIMEOUT_MS is killed.
async function stopProc(p, signal = 'SIGKILL') {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  p.proc.kill(signal);
  if (signal === 'SIGKILL') {
    await p.exited;
    return;
  }
  try {
    await withTimeout(p.exited, READY_TIMEOUT_MS, 'nginx to stop');
  } catch {
    p.proc.kill('SIGKILL');
    await p.exited;
  }
}

// redis-server on a free port: { port, url, stop(), restart() }. restart()
// kills it (clients see their links drop) and starts it again on the same port.
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'sio-redis-'));
  let p;
  const start = async () => {
    p = run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', dir, '--logfile', path.join(dir, 'redis.log')], 'redis-server');
    await accepting(port, 'redis-server', p.exited);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => { await stopProc(p); rmSync(dir, { recursive: true, force: true }); },
    kill: () => stopProc(p),
    start,
  };
}

// nginx with tests/interop/redis/nginx.conf.template in front of `ports`.
export async function startNginx(ports) {
  const listen = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'sio-nginx-'));
  // The worker may run as another user: let it use its temp dirs.
  chmodSync(dir, 0o755);
  for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(path.join(dir, d));
    chmodSync(path.join(dir, d), 0o777);
  }
  const conf = readFileSync(path.join(here, 'nginx.conf.template'), 'utf8')
    .replaceAll('{{DIR}}', dir)
    .replaceAll('{{LISTEN}}', String(listen))
    .replaceAll('{{UPSTREAMS}}', ports.map((p) => `    server 127.0.0.1:${p};`).join('\n'));
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const p = run('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], 'nginx');
  try {
    await accepting(listen, 'nginx', p.exited);
  } catch (e) {
    await stopProc(p, 'SIGTERM');
    let log = '';
    try { log = readFileSync(path.join(dir, 'error.log'), 'utf8'); } catch {}
    throw new Error(`${e.message}\n${p.stderr()}\n${log}`);
  }
  return {
    port: listen,
    url: `http://127.0.0.1:${listen}`,
    stop: async () => { await stopProc(p, 'SIGTERM'); rmSync(dir, { recursive: true, force: true }); },
  };
}

// nginx's ip_hash choice for an IPv4 address among `n` equal upstreams
// (ngx_http_upstream_ip_hash.c: the first three bytes, hash 89, * 113 mod
// 6271, then modulo the total weight), so a test can pick source addresses
// that land on different nodes.
export function ipHashPeer(address, n) {
  const bytes = address.split('.').map(Number).slice(0, 3);
  let hash = 89;
  for (const b of bytes) hash = (hash * 113 + b) % 6271;
  return hash % n;
}
