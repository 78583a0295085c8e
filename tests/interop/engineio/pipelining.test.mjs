// HTTP/1.1 pipelining (issue 20): requests sent back to back on one
// connection are all answered, in order, including those queued behind a
// polling GET that waits at its session (the server used to take the
// pipelined bytes for the client going away, and reset the connection).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { engineIoEchoFixture } from '../lib/fixtures.mjs';
import { parseOpenPacket, PollingSession } from '../lib/eio-raw.mjs';
import { RawHttp } from '../lib/raw-http.mjs';

const HANDSHAKE = 'GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: a\r\n\r\n';

// Five kinds of request with answers told apart, repeated in turn.
const KINDS = [
  { request: HANDSHAKE, check: (r) => r.status === 200 && /^0\{"sid"/.test(r.body) },
  { request: 'GET /not-here HTTP/1.1\r\nHost: a\r\n\r\n', check: (r) => r.status === 404 },
  {
    request: 'GET /engine.io/?EIO=4&transport=flash HTTP/1.1\r\nHost: a\r\n\r\n',
    check: (r) => r.status === 400 && JSON.parse(r.body).code === 0,
  },
  {
    request: 'GET /engine.io/?EIO=3&transport=polling HTTP/1.1\r\nHost: a\r\n\r\n',
    check: (r) => r.status === 400 && JSON.parse(r.body).code === 5,
  },
  {
    request: 'POST /engine.io/?EIO=4&transport=polling&sid=unknown HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\n4hello',
    check: (r) => r.status === 400 && JSON.parse(r.body).code === 1,
  },
];

function pipelined(n) {
  let bytes = '';
  for (let i = 0; i < n; i++) bytes += KINDS[i % KINDS.length].request;
  return bytes;
}

function assertInOrder(responses, n, offset = 0) {
  for (let i = 0; i < n; i++) {
    const r = responses[offset + i];
    assert.ok(KINDS[i % KINDS.length].check(r), `response ${i}: ${r.status} ${r.body}`);
  }
}

describe('pipelined requests (pingInterval 300 ms)', () => {
  const server = engineIoEchoFixture({ pingInterval: 300, pingTimeout: 1000 });
  const port = () => Number(new URL(server.url).port);

  for (const n of [10, 50]) {
    test(`${n} pipelined handshakes are all answered, each with its own session`, async () => {
      const conn = new RawHttp(port());
      try {
        conn.write(HANDSHAKE.repeat(n));
        const responses = await conn.responses(n);
        assert.equal(responses.length, n);
        const sids = responses.map((r) => {
          assert.equal(r.status, 200);
          return parseOpenPacket(r.body).sid;
        });
        assert.equal(new Set(sids).size, n);
      } finally {
        conn.destroy();
      }
    });

    test(`${n} requests pipelined behind a waiting poll are answered after it, in order`, async () => {
      const session = await PollingSession.open(server.url);
      const poll = `GET /engine.io/?EIO=4&transport=polling&sid=${session.sid} HTTP/1.1\r\nHost: a\r\n\r\n`;
      const conn = new RawHttp(port());
      try {
        // The poll waits at its session (nothing to send) until the ping
        // answers it; the requests behind it are already on the wire.
        conn.write(poll + pipelined(n));
        const responses = await conn.responses(n + 1);
        assert.equal(responses[0].status, 200);
        assert.equal(responses[0].body, '2', 'the poll is answered by the ping');
        assertInOrder(responses, n, 1);
      } finally {
        conn.destroy();
      }
    });
  }

  test('a pipelined pong keeps the session of the waiting poll alive', async () => {
    const session = await PollingSession.open(server.url);
    const url = `/engine.io/?EIO=4&transport=polling&sid=${session.sid}`;
    const conn = new RawHttp(port());
    try {
      conn.write(
        `GET ${url} HTTP/1.1\r\nHost: a\r\n\r\n` +
          `POST ${url} HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n3` +
          `POST ${url} HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\n4hello` +
          `GET ${url} HTTP/1.1\r\nHost: a\r\n\r\n`,
      );
      const [ping, pong, message, echo] = await conn.responses(4);
      assert.deepEqual([ping.status, ping.body], [200, '2']);
      assert.deepEqual([pong.status, pong.body], [200, 'ok']);
      assert.deepEqual([message.status, message.body], [200, 'ok']);
      assert.deepEqual([echo.status, echo.body], [200, '4hello']);
    } finally {
      conn.destroy();
    }
  });
});
