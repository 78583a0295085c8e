// Starting and stopping the programs under test.
//
// Our programs live in process.env.SIO_BIN_DIR (set by ctest to <build>/bin). Each is
// started with its flags, and is ready once it prints "listening on http://HOST:PORT"
// on stdout. The tests then talk to that URL and stop the process afterwards.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './wait.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

// How long a program may take to print its "listening on" line.
const READY_TIMEOUT_MS = 10000;
// How long a stopped program may take to exit after SIGTERM before it gets SIGKILL.
const STOP_TIMEOUT_MS = 3000;

const LISTENING = /listening on (https?:\/\/[^\s:]+:(\d+))/;

// Resolves the command for one of our programs: [executable, ...leadingArgs].
export function programCommand(name) {
  const dir = process.env.SIO_BIN_DIR;
  if (!dir) throw new Error(`SIO_BIN_DIR is not set: cannot find ${name}`);
  return [path.join(dir, name)];
}

// The Engine.IO echo server under test. SIO_ENGINEIO_CMD overrides it:
//   "reference"       the npm engine.io twin in this folder (the behaviour to match)
//   any other string  a command line, split on spaces, to which the flags are appended
// Unset: ${SIO_BIN_DIR}/engineio-echo.
export function engineIoEchoCommand() {
  const override = process.env.SIO_ENGINEIO_CMD;
  if (override === 'reference') {
    return [process.execPath, path.join(here, 'reference-engineio-echo.mjs')];
  }
  if (override) return override.split(' ').filter(Boolean);
  return programCommand('engineio-echo');
}

// Spawns `command` (+ `args`), waits for its "listening on" line and returns
// { url, port, proc, stop }. stop() ends it (SIGTERM, then SIGKILL) and waits for
// the exit. Its stderr is kept: the startup error quotes it, and when
// SIO_TEST_OUTPUT is set it is also written to a log file there.
export async function startProgram(command, args = [], { label = path.basename(command[0]) } = {}) {
  const [exe, ...lead] = command;
  const proc = spawn(exe, [...lead, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = openLog(label, proc.pid);
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => {
    stderr += chunk;
    log?.write(chunk);
  });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));

  const ready = new Promise((resolve, reject) => {
    let stdout = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk) => {
      log?.write(chunk);
      if (stdout === null) return; // already listening; keep draining the pipe
      stdout += chunk;
      const match = LISTENING.exec(stdout);
      if (match) {
        stdout = null;
        resolve({ url: match[1], port: Number(match[2]) });
      }
    });
    proc.once('error', (err) => reject(new Error(`cannot start ${exe}: ${err.message}`)));
    exited.then(({ code, signal }) =>
      reject(new Error(`${label} exited (code ${code}, signal ${signal}) before listening; stderr:\n${stderr}`)),
    );
  });

  let address;
  try {
    address = await withTimeout(ready, READY_TIMEOUT_MS, `${label} to print "listening on"`);
  } catch (err) {
    proc.kill('SIGKILL');
    await exited;
    log?.end();
    throw err;
  }

  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      try {
        await withTimeout(exited, STOP_TIMEOUT_MS, `${label} to exit`);
      } catch {
        proc.kill('SIGKILL');
        await exited;
      }
    }
    log?.end();
  };

  return { ...address, proc, stop, stderr: () => stderr };
}

// Starts the Engine.IO echo server. Defaults are those the Engine.IO v4 protocol
// test suite expects (pingInterval 300, pingTimeout 200, maxPayload 1e6).
export function startEngineIoEcho({
  pingInterval = 300,
  pingTimeout = 200,
  maxPayload = 1000000,
  enginePath = '/engine.io/',
  maxInboundBuffered,
} = {}) {
  const args = [
    '--port', '0',
    '--path', enginePath,
    '--ping-interval', String(pingInterval),
    '--ping-timeout', String(pingTimeout),
    '--max-payload', String(maxPayload),
  ];
  if (maxInboundBuffered !== undefined) args.push('--max-inbound-buffered', String(maxInboundBuffered));
  return startProgram(engineIoEchoCommand(), args, { label: 'engineio-echo' });
}

function openLog(label, pid) {
  const dir = process.env.SIO_TEST_OUTPUT;
  if (!dir) return null;
  mkdirSync(dir, { recursive: true });
  return createWriteStream(path.join(dir, `${label}-${pid}.log`));
}
