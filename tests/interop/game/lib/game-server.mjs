// Starting build/bin/sio-game (and its bots) for the tests, on a free port.
import { spawn } from 'node:child_process';
import { programCommand, startProgram } from '../../lib/server.mjs';
import { withTimeout } from '../../lib/wait.mjs';

// Starts sio-game with `extra` flags; returns startProgram's handle ({url, port, proc, stop, stderr}).
export function startGame({ extra = [], logLevel = 'info' } = {}) {
  const args = ['--port', '0', '--host', '127.0.0.1', '--log-level', logLevel, ...extra];
  return startProgram(programCommand('sio-game'), args, { label: 'sio-game' });
}

// Starts sio-game-bots against `url`; resolves once it printed that it started.
// stop() ends it with SIGTERM and waits for its exit.
export async function startBots(url, args = []) {
  const [exe] = programCommand('sio-game-bots');
  const proc = spawn(exe, ['--url', url, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (c) => { out += c; });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const started = new Promise((resolve, reject) => {
    proc.stdout.on('data', (c) => {
      out += c;
      if (out.includes('bots started')) resolve();
    });
    exited.then((e) => reject(new Error(`sio-game-bots exited early (${JSON.stringify(e)}): ${out}`)));
  });
  await withTimeout(started, 10000, 'sio-game-bots to start');
  return {
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return withTimeout(exited, 10000, 'sio-game-bots to exit');
    },
  };
}
