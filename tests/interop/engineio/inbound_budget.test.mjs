// The server-wide budget of inbound bytes (EngineOptions::max_inbound_buffered,
// not in engine.io): request bodies being read count against it, a body
// that would pass it is refused with 503 and an engine.io-style JSON error
// (and its session closed) before any of it is read, and the bytes come back
// once the bodies holding them are done. engineio-echo runs with a budget of
// three bodies of 100 KB.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { engineIoEchoFixture } from '../lib/fixtures.mjs';
import { ENGINE_ERRORS, PollingSession } from '../lib/eio-raw.mjs';
import { RawHttp } from '../lib/raw-http.mjs';

const BODY = 100_000;
const BUDGET = 3 * BODY;

// A POST whose body (Content-Length `length`) is only partly sent: the
// server holds it while waiting for the rest.
function heldPost(port, path, length, first = 'x'.repeat(1000)) {
  const conn = new RawHttp(port);
  conn.write(`POST ${path} HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\n\r\n${first}`);
  return conn;
}

// A small POST outside the engine's path: 404 while the budget has room for
// it, 503 once it is spent. Sent until it answers `want` (a bounded wait on
// the server's state, which has no other window).
async function probeUntil(port, want) {
  const seen = [];
  for (let i = 0; i < 100; i++) {
    const conn = new RawHttp(port);
    try {
      conn.write(`POST /probe HTTP/1.1\r\nHost: a\r\nContent-Length: 10000\r\n\r\n${'p'.repeat(10000)}`);
      const [res] = await conn.responses(1);
      seen.push(res.status);
      if (res.status === want) return res;
    } finally {
      conn.destroy();
    }
  }
  assert.fail(`the probe never answered ${want} (answers: ${[...new Set(seen)]})`);
}

describe('the inbound budget (3 x 100 KB)', () => {
  const server = engineIoEchoFixture({ pingInterval: 10000, pingTimeout: 10000, maxPayload: 2 * BODY, maxInboundBuffered: BUDGET });
  const port = () => Number(new URL(server.url).port);

  test('a body past the budget is refused with 503 before it is read; the budget comes back', async () => {
    const held = [];
    try {
      for (let i = 0; i < 3; i++) held.push(heldPost(port(), `/held-${i}`, BODY));
      const busy = await probeUntil(port(), 503);
      assert.equal(busy.headers['retry-after'], '1');

      // A session's POST is refused the same way, and its session ends.
      const session = await PollingSession.open(server.url);
      const refused = new RawHttp(port());
      try {
        refused.write(
          `POST ${new URL(session.url()).pathname}${new URL(session.url()).search} HTTP/1.1\r\nHost: a\r\n` +
            `Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 6\r\n\r\n4hello`,
        );
        const [res] = await refused.responses(1);
        assert.equal(res.status, 503);
        assert.match(res.headers['content-type'], /^application\/json/);
        const body = JSON.parse(res.body);
        assert.equal(body.code, ENGINE_ERRORS.BAD_REQUEST.code);
        assert.match(body.message, /^Server busy/);
        assert.equal(res.headers.connection, 'close');
      } finally {
        refused.destroy();
      }
      const after = await session.get();
      assert.equal(after.status, 400);
      assert.deepEqual(JSON.parse(after.text), ENGINE_ERRORS.UNKNOWN_SID);

      // One held body completes: its bytes come back to the budget.
      held[0].write('x'.repeat(BODY - 1000));
      const [done] = await held[0].responses(1);
      assert.equal(done.status, 404);
      await probeUntil(port(), 404);
    } finally {
      for (const c of held) c.destroy();
    }
    // Every held body gone: the whole budget is back.
    for (let i = 0; i < 3; i++) held[i] = heldPost(port(), `/again-${i}`, BODY);
    try {
      await probeUntil(port(), 503);
    } finally {
      for (const c of held) c.destroy();
    }
    await probeUntil(port(), 404);
  });

  test('a chunked body is held as it grows, and refused once past the budget', async () => {
    const held = [heldPost(port(), '/held-a', BODY), heldPost(port(), '/held-b', BODY)];
    const chunked = new RawHttp(port());
    try {
      await probeUntil(port(), 404); // 200 KB held, room for a probe
      chunked.write('POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n');
      // 150 KB in 10 KB chunks, under max_http_buffer_size (200 KB) but past
      // what the budget has left (100 KB).
      for (let i = 0; i < 15 && !chunked.ended; i++) await chunked.send(`2710\r\n${'c'.repeat(10000)}\r\n`);
      const [res] = await chunked.responses(1);
      assert.equal(res.status, 503);
      await chunked.closed();
    } finally {
      chunked.destroy();
      for (const c of held) c.destroy();
    }
  });
});
