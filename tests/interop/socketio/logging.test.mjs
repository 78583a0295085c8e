// Structured logs (sio::configure_logging; socketio-echo --log-level
// --log-format json): one JSON object a line on stderr, and the records about
// one connection carry its Engine.IO id as "sid", from the session's opening
// to its close, with the socket's id and namespace in between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { startProgram, programCommand } from '../lib/server.mjs';
import { DEFAULT_TIMEOUT_MS } from '../lib/wait.mjs';
import { nextEvent, withTimeout } from './helpers.mjs';

// Resolves with the parsed lines once one satisfies `pred` (bounded).
function linesUntil(server, pred) {
  return withTimeout(new Promise((resolve) => {
    const poll = () => {
      const lines = server.stderr().split('\n').filter(Boolean);
      const records = lines.map((l) => JSON.parse(l));  // every line is JSON, or this throws
      if (records.some(pred)) resolve(records);
      else setImmediate(poll);
    };
    poll();
  }), DEFAULT_TIMEOUT_MS, 'the log record');
}

test('--log-format json: a connection\'s records carry its sid', async (t) => {
  const server = await startProgram(programCommand('socketio-echo'),
    ['--port', '0', '--threads', '2', '--log-level', 'debug', '--log-format', 'json']);
  t.after(() => server.stop());
  const socket = io(server.url, { forceNew: true, reconnection: false, transports: ['polling', 'websocket'] });
  await nextEvent(socket, 'connect');
  if (socket.io.engine.transport.name !== 'websocket') await nextEvent(socket.io.engine, 'upgrade');
  const sid = socket.io.engine.id;
  const id = socket.id;
  socket.close();
  const records = await linesUntil(server, (r) => r.msg === 'session closed' && r.sid === sid);
  const mine = records.filter((r) => r.sid === sid);
  assert.deepEqual(mine.map((r) => r.msg),
    ['session opened', 'socket connected', 'session upgraded to websocket', 'socket disconnected', 'session closed']);
  for (const r of mine) {
    assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(r.level, 'debug');
  }
  assert.equal(mine[0].transport, 'polling');
  assert.deepEqual({ id: mine[1].id, nsp: mine[1].nsp }, { id, nsp: '/' });
  assert.equal(mine[3].reason, 'client namespace disconnect');
  assert.equal(mine[4].reason, 'transport close');
});

test('--log-level info leaves the per-connection records out', async (t) => {
  const server = await startProgram(programCommand('socketio-echo'), ['--port', '0', '--log-format', 'json']);
  t.after(() => server.stop());
  const socket = io(server.url, { forceNew: true, reconnection: false, transports: ['websocket'] });
  await nextEvent(socket, 'connect');
  const back = nextEvent(socket, 'echo');
  socket.emit('echo', 'x');
  await back;
  socket.close();
  await server.stop();
  assert.equal(server.stderr(), '');
});
