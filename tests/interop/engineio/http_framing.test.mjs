// Request headers every server refuses before serving anything (issue 20):
// more header fields than max_header_fields (431), a header past 16 KB
// (431), and framings RFC 9112 forbids, which a proxy
// could read otherwise (request smuggling): 400, or 501 for a coding we do
// not speak. Each refusal closes the connection, and a request hidden after
// the refused one is never served. Checked on engineio-echo, socketio-echo
// (HttpConnection) and websocket-echo (ws::Server).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { exchangeUntilClose, RawHttp } from '../lib/raw-http.mjs';
import { programCommand, startEngineIoEcho, startProgram } from '../lib/server.mjs';

// The default of EngineOptions::max_header_fields and ws::ServerOptions::max_header_fields.
const MAX_HEADER_FIELDS = 100;

const HANDSHAKE = 'GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: a\r\n\r\n';

// A request with `count` header fields in all (Host included).
function withFields(requestLine, count, extra = '') {
  let fields = 'Host: a\r\n';
  for (let i = 1; i < count; i++) fields += `X-F${i}: ${i}\r\n`;
  return `${requestLine}\r\n${fields}${extra}\r\n`;
}

function assertRefused(responses, status, what) {
  assert.equal(responses.length, 1, `${what}: exactly one response, then the close (got ${responses.map((r) => r.status)})`);
  assert.equal(responses[0].status, status, `${what}: status (body ${responses[0].body})`);
  assert.equal(responses[0].headers.connection, 'close', `${what}: Connection: close`);
}

const servers = {
  'engineio-echo': { start: () => startEngineIoEcho(), path: '/engine.io/?EIO=4&transport=polling' },
  'socketio-echo': {
    start: () => startProgram(programCommand('socketio-echo'), ['--port', '0', '--threads', '1']),
    path: '/socket.io/?EIO=4&transport=polling',
  },
};

for (const [name, { start, path }] of Object.entries(servers)) {
  describe(`${name}: header limits`, () => {
    let server;
    before(async () => {
      server = await start();
    });
    after(async () => {
      await server?.stop();
    });

    test(`${MAX_HEADER_FIELDS} fields are served, ${MAX_HEADER_FIELDS + 1} are refused with 431 and a close`, async () => {
      const conn = new RawHttp(server.port);
      try {
        conn.write(withFields(`GET ${path} HTTP/1.1`, MAX_HEADER_FIELDS));
        const [ok] = await conn.responses(1);
        assert.equal(ok.status, 200);
        assert.match(ok.body, /^0\{"sid"/);
      } finally {
        conn.destroy();
      }
      const refused = await exchangeUntilClose(server.port, withFields(`GET ${path} HTTP/1.1`, MAX_HEADER_FIELDS + 1));
      assertRefused(refused, 431, `${MAX_HEADER_FIELDS + 1} fields`);
      assert.equal(refused[0].body, 'Request Header Fields Too Large');
    });

    test('3,000 distinct header fields are refused with 431', async () => {
      // 3,000 short names fit in Beast's 16 KB: the request that cost ~25 ms of CPU each.
      let fields = '';
      for (let i = 0; i < 3000; i++) fields += `${i.toString(36)}:\r\n`;
      const refused = await exchangeUntilClose(server.port, `GET ${path} HTTP/1.1\r\nHost: a\r\n${fields}\r\n`);
      assertRefused(refused, 431, '3,000 fields');
    });

    test('a header past 16 KB is refused with 431 (Request Header Fields Too Large), not 400', async () => {
      const conn = new RawHttp(server.port);
      try {
        await conn.send(`GET ${path} HTTP/1.1\r\nHost: a\r\n`);
        for (let i = 0; i < 20 && !conn.ended; i++) await conn.send(`X-Big${i}: ${'b'.repeat(2048)}\r\n`);
        if (!conn.ended) conn.write('\r\n');
        assertRefused(await conn.closed(), 431, '40 KB of header');
      } finally {
        conn.destroy();
      }
    });
  });
}

describe('engineio-echo: framing (RFC 9112 §6)', () => {
  let server;
  before(async () => {
    server = await startEngineIoEcho();
  });
  after(async () => {
    await server?.stop();
  });

  // Each is a POST to a path that answers 404, followed by a handshake that
  // must never be answered: the server refuses the first and closes.
  const cases = [
    ['Transfer-Encoding: xchunked with Content-Length', 400, 'HTTP/1.1', 'Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n', '0\r\n\r\n'],
    ['Transfer-Encoding: chunked, gzip (chunked not last)', 400, 'HTTP/1.1', 'Transfer-Encoding: chunked, gzip\r\n', ''],
    ['Transfer-Encoding: chunked on HTTP/1.0, kept alive', 400, 'HTTP/1.0', 'Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'],
    ['Transfer-Encoding: chunked, chunked', 400, 'HTTP/1.1', 'Transfer-Encoding: chunked, chunked\r\n', ''],
    ['Transfer-Encoding: chunked over two fields', 400, 'HTTP/1.1', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'],
    ['an empty Transfer-Encoding', 400, 'HTTP/1.1', 'Transfer-Encoding: \r\nContent-Length: 0\r\n', ''],
    ['Transfer-Encoding: gzip, chunked (a coding we do not speak)', 501, 'HTTP/1.1', 'Transfer-Encoding: gzip, chunked\r\n', '0\r\n\r\n'],
    ['Transfer-Encoding: chunked with Content-Length', 400, 'HTTP/1.1', 'Transfer-Encoding: chunked\r\nContent-Length: 5\r\n', '0\r\n\r\n'],
    ['Content-Length then Transfer-Encoding', 400, 'HTTP/1.1', 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'],
    ['two different Content-Length values', 400, 'HTTP/1.1', 'Content-Length: 5\r\nContent-Length: 6\r\n', '0\r\n\r\n'],
    ['a Content-Length list that disagrees', 400, 'HTTP/1.1', 'Content-Length: 5, 6\r\n', '0\r\n\r\n'],
    ['a Content-Length that is not a number', 400, 'HTTP/1.1', 'Content-Length: +5\r\n', '0\r\n\r\n'],
  ];
  for (const [what, status, version, fields, body] of cases) {
    test(`${what}: ${status}, closed, the request behind it not served`, async () => {
      const responses = await exchangeUntilClose(
        server.port,
        `POST /not-engine-io ${version}\r\nHost: a\r\n${fields}\r\n${body}${HANDSHAKE}`,
      );
      assertRefused(responses, status, what);
      assert.doesNotMatch(responses[0].body, /"sid"/);
    });
  }

  test('a well-framed chunked POST and the request behind it are both served', async () => {
    const conn = new RawHttp(server.port);
    try {
      conn.write(`POST /not-engine-io HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n${HANDSHAKE}`);
      const [first, second] = await conn.responses(2);
      assert.equal(first.status, 404);
      assert.equal(second.status, 200);
      assert.match(second.body, /^0\{"sid"/);
    } finally {
      conn.destroy();
    }
  });
});

describe('websocket-echo: header limits and framing', () => {
  let server;
  before(async () => {
    server = await startProgram(programCommand('websocket-echo'), ['--port', '0']);
  });
  after(async () => {
    await server?.stop();
  });

  const upgrade = (count, extra = '') =>
    withFields(
      'GET /echo HTTP/1.1',
      count,
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}`,
    );

  test(`an upgrade with ${MAX_HEADER_FIELDS} fields is accepted, one more is refused with 431`, async () => {
    const conn = new RawHttp(server.port);
    try {
      conn.write(upgrade(MAX_HEADER_FIELDS - 4));
      const [ok] = await conn.responses(1);
      assert.equal(ok.status, 101);
    } finally {
      conn.destroy();
    }
    assertRefused(await exchangeUntilClose(server.port, upgrade(MAX_HEADER_FIELDS - 3)), 431, 'one field too many');
  });

  test('an upgrade with Transfer-Encoding: chunked, gzip is refused with 400', async () => {
    assertRefused(
      await exchangeUntilClose(server.port, upgrade(1, 'Transfer-Encoding: chunked, gzip\r\n')),
      400,
      'chunked, gzip',
    );
  });

  test('an upgrade with a body is refused with 400', async () => {
    assertRefused(
      await exchangeUntilClose(server.port, `${upgrade(1, 'Transfer-Encoding: chunked\r\n')}0\r\n\r\n`),
      400,
      'chunked body',
    );
  });
});
