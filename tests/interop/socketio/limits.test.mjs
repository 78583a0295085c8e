// Session limits (EngineOptions::limits, socketio-echo --max-connections,
// --max-connections-per-ip, --handshakes-per-ip-per-second, --trusted-proxy):
// a handshake past one is refused as engine.io refuses one (403
// {"code":4,"message":...}), places come back when sessions end, and
// X-Forwarded-For counts only from a trusted proxy.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { eioUrl, httpFetch } from '../lib/http.mjs';
import { DEFAULT_TIMEOUT_MS } from '../lib/wait.mjs';
import { nextEvent, programFixture, withTimeout } from './helpers.mjs';

const handshake = (url, headers = {}) =>
  httpFetch(eioUrl(url, { EIO: 4, transport: 'polling' }, '/socket.io/'), { headers });

function refused(res, message) {
  assert.equal(res.status, 403);
  assert.deepEqual(JSON.parse(res.text), { code: 4, message });
}

// Handshakes until one is admitted (the server gives a place back when it
// has seen the session end), bounded.
async function admittedSoon(url, headers) {
  const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
  for (;;) {
    const res = await handshake(url, headers);
    if (res.status === 200) return res;
    assert.ok(Date.now() < deadline, `still refused: ${res.text}`);
    await new Promise((r) => setImmediate(r));
  }
}

async function connected(url, transports = ['websocket']) {
  const s = io(url, { forceNew: true, reconnection: false, transports });
  await nextEvent(s, 'connect', { failOn: ['connect_error'] });
  return s;
}

describe('--max-connections-per-ip', () => {
  const server = programFixture('socketio-echo', ['--threads', '2', '--max-connections-per-ip', '2']);

  test('the third session of one address is refused, and admitted once one ends', async (t) => {
    const a = await connected(server.url);
    const b = await connected(server.url, ['polling']);
    t.after(() => { a.close(); b.close(); });
    refused(await handshake(server.url), 'Too many connections from this address');
    // socket.io-client sees the refusal as a connect_error.
    const c = io(server.url, { forceNew: true, reconnection: false, transports: ['polling'] });
    t.after(() => c.close());
    await nextEvent(c, 'connect_error');
    a.close();
    await admittedSoon(server.url);
  });
});

describe('--max-connections with trusted proxies', () => {
  const server = programFixture('socketio-echo', ['--max-connections', '3', '--max-connections-per-ip', '1',
    '--trusted-proxy', '127.0.0.1']);

  test('each forwarded address is counted apart; the server-wide cap holds over all', async () => {
    const xff = (a) => ({ 'X-Forwarded-For': a });
    assert.equal((await handshake(server.url, xff('10.0.0.1'))).status, 200);
    refused(await handshake(server.url, xff('10.0.0.1')), 'Too many connections from this address');
    // What a client wrote itself comes before what the proxy appended.
    refused(await handshake(server.url, xff('10.9.9.9, 10.0.0.1')), 'Too many connections from this address');
    assert.equal((await handshake(server.url, xff('10.0.0.2'))).status, 200);
    assert.equal((await handshake(server.url, xff('10.0.0.3'))).status, 200);
    refused(await handshake(server.url, xff('10.0.0.4')), 'Too many connections');
  });
});

describe('--handshakes-per-ip-per-second', () => {
  const server = programFixture('socketio-echo', ['--handshakes-per-ip-per-second', '0.001', '--handshake-burst', '2']);

  test('past the burst an address is refused; X-Forwarded-For from an untrusted peer changes nothing', async () => {
    assert.equal((await handshake(server.url)).status, 200);
    assert.equal((await handshake(server.url)).status, 200);
    refused(await handshake(server.url), 'Too many handshakes from this address');
    refused(await handshake(server.url, { 'X-Forwarded-For': '10.0.0.7' }), 'Too many handshakes from this address');
    // Over WebSocket the refusal comes before the upgrade: no connection opens.
    const s = io(server.url, { forceNew: true, reconnection: false, transports: ['websocket'] });
    await withTimeout(nextEvent(s, 'connect_error'), DEFAULT_TIMEOUT_MS, 'connect_error');
    s.close();
  });
});
