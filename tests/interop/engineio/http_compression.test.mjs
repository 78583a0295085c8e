// HTTP compression of polling responses (engine.io's httpCompression, on by
// default): a response of 1 KB or more is gzip- or deflate-encoded as the
// request's Accept-Encoding prefers, smaller ones and requests that accept
// neither get it as it is. Checked against engineio-echo; the same file passes
// against npm engine.io (SIO_ENGINEIO_CMD=reference).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { engineIoEchoFixture } from '../lib/fixtures.mjs';
import { PollingSession, splitPayload } from '../lib/eio-raw.mjs';
import { DEFAULT_TIMEOUT_MS, withTimeout } from '../lib/wait.mjs';

// A GET whose body comes back as the raw bytes sent (node:http decodes nothing).
function rawGet(url, headers) {
  return withTimeout(new Promise((resolve, reject) => {
    http.get(url, { headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).once('error', reject);
  }), DEFAULT_TIMEOUT_MS, `GET ${url}`);
}

const DECODE = { gzip: zlib.gunzipSync, deflate: zlib.inflateSync };

// Has the server echo `message`, then polls for it with `acceptEncoding`
// (undefined: no such header). Returns the response and its decoded text.
async function echoedPoll(url, message, acceptEncoding) {
  const session = await PollingSession.open(url);
  const post = await session.post(`4${message}`);
  assert.equal(post.status, 200);
  const headers = acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding };
  for (;;) {  // pings may come first: answered, then polled again
    const res = await rawGet(session.url(), headers);
    assert.equal(res.status, 200);
    const coding = res.headers['content-encoding'];
    const text = (coding ? DECODE[coding](res.body) : res.body).toString('utf8');
    const packets = splitPayload(text);
    if (packets.every((p) => p === '2')) {
      await session.post('3');
      continue;
    }
    assert.deepEqual(packets.filter((p) => p !== '2'), [`4${message}`]);
    return { coding, res };
  }
}

describe('polling responses are compressed as engine.io compresses them', () => {
  const server = engineIoEchoFixture({ pingInterval: 25000, pingTimeout: 20000 });
  const big = 'x'.repeat(4000);

  const cases = [
    ['gzip', 'gzip'],
    ['deflate', 'deflate'],
    ['gzip, deflate, br', 'gzip'],
    ['deflate, gzip', 'deflate'],               // equal q: the header's order
    ['gzip;q=0.5, deflate', 'deflate'],         // the higher q
    ['*', 'gzip'],                              // any: the server's first choice
    ['*;q=0.1, deflate;q=0.2', 'deflate'],
    ['gzip;q=0, *', 'deflate'],                 // q=0 refuses gzip, "*" brings deflate
    ['GZIP', 'gzip'],                           // names are case-insensitive
    ['br', undefined],
    ['identity', undefined],
    ['gzip;q=0', undefined],
    ['', undefined],
    [undefined, undefined],                      // no Accept-Encoding at all
  ];
  for (const [accept, expected] of cases) {
    test(`Accept-Encoding ${JSON.stringify(accept)}: ${expected ?? 'not compressed'}`, async () => {
      const { coding } = await echoedPoll(server.url, big, accept);
      assert.equal(coding, expected);
    });
  }

  test('a response under 1024 bytes goes as it is', async () => {
    const { coding } = await echoedPoll(server.url, 'y'.repeat(500), 'gzip, deflate');
    assert.equal(coding, undefined);
  });

  test('the compressed response is much smaller and still a polling payload', async () => {
    const { coding, res } = await echoedPoll(server.url, big, 'gzip');
    assert.equal(coding, 'gzip');
    assert.ok(res.body.length < 200, `${res.body.length} bytes`);
    assert.match(res.headers['content-type'], /^text\/plain/);
  });
});
