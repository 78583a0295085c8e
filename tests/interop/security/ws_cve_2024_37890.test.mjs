// ws CVE-2024-37890 (GHSA-3h5v-q93c-6h6q, fixed in ws 5.2.4 / 6.2.3 / 7.5.10
// / 8.17.1, commit e55e510): a request with more headers than the HTTP
// server's maxHeadersCount (Node: 2000) lost its Upgrade header past the cap,
// and ws crashed reading it. The advisory's proof of concept sends 2000
// distinct two-character header names (value "x") before the Upgrade and
// Connection headers that the client adds last.
//
// Our servers must refuse a request with that many header fields: HTTP 431
// (Request Header Fields Too Large, RFC 6585 section 5), then keep serving.
// The requests here carry 3,000 fields, past Node's cap, in two forms: short
// empty fields that stay under our 16 KB header limit in bytes (so only a
// count cap refuses them), and the proof of concept's form ("name: x"),
// which is over it in bytes too; and 10,000 empty fields, past any cap.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RawConnection, describeBytes, requestHead, websocketUpgradeHeaders } from './lib/raw.mjs';
import { KINDS, replay, serverFixture } from './lib/servers.mjs';

const FIELDS = 3000;
const HEADER_LIMIT_BYTES = 16 * 1024; // src/net: Beast's header_limit

// The characters of the advisory's header names (RFC 9110 tchar).
const TCHARS = "!#$%&'*+-.0123456789abcdefghijklmnopqrstuvwxyz^_`|~";

// `count` distinct header names, shortest first: one character, then two...
function headerNames(count) {
  const names = [];
  for (let width = 1; names.length < count; width++) {
    const digits = new Array(width).fill(0);
    for (;;) {
      names.push(digits.map((d) => TCHARS[d]).join(''));
      if (names.length === count) break;
      let i = width - 1;
      while (i >= 0 && ++digits[i] === TCHARS.length) digits[i--] = 0;
      if (i < 0) break;
    }
  }
  return names;
}

const FORMS = {
  [`${FIELDS} empty fields, under the byte limit`]: () => headerNames(FIELDS).map((n) => [n, null]),
  [`${FIELDS} fields in the advisory's "name: x" form`]: () => headerNames(FIELDS).map((n) => [n, 'x']),
  '10000 empty fields': () => headerNames(10000).map((n) => [n, null]),
};

// Requests to refuse, for `fixture`'s server: the advisory's WebSocket
// upgrade (filler first, upgrade headers last), and a polling handshake or
// a page with the same filler.
function requests(fixture, filler) {
  const host = ['Host', `127.0.0.1:${fixture.port}`];
  const upgradeTarget = fixture.enginePath ? `${fixture.enginePath}?EIO=4&transport=websocket` : '/chat';
  const out = {
    'a WebSocket upgrade': requestHead('GET', upgradeTarget, [...filler, ...websocketUpgradeHeaders(fixture.port).headers]),
  };
  if (fixture.enginePath) {
    out['a polling handshake'] = requestHead('GET', `${fixture.enginePath}?EIO=4&transport=polling`, [host, ...filler]);
  }
  if (fixture.kind === 'sio-chat') out['the chat page'] = requestHead('GET', '/', [host, ...filler]);
  return out;
}

async function assert431(port, head) {
  const conn = await RawConnection.open(port);
  try {
    await conn.write(head);
    const res = await conn.response().catch((err) => {
      throw new Error(`no HTTP answer: ${err.message}`);
    });
    assert.equal(res.status, 431, `answered ${res.status} (${describeBytes(conn.data, 40)})`);
  } finally {
    conn.destroy();
  }
}

test('the empty-field form stays under the byte limit, so only a count cap refuses it', () => {
  const fields = FORMS[`${FIELDS} empty fields, under the byte limit`]();
  assert.equal(new Set(fields.map(([name]) => name)).size, FIELDS);
  const head = requestHead('GET', '/socket.io/?EIO=4&transport=websocket', [
    ...fields,
    ...websocketUpgradeHeaders(65535).headers,
  ]);
  assert.ok(head.length < HEADER_LIMIT_BYTES, `${head.length} bytes`);
});

for (const kind of Object.keys(KINDS)) {
  describe(kind, () => {
    const server = serverFixture(kind);

    for (const [form, make] of Object.entries(FORMS)) {
      const filler = make();
      test(`${form}: refused with 431`, () =>
        replay(server, async () => {
          const failures = [];
          for (const [what, head] of Object.entries(requests(server, filler))) {
            await assert431(server.port, head).catch((err) => failures.push(`${what}: ${err.message.split('\n')[0]}`));
          }
          assert.ok(failures.length === 0, failures.join('\n'));
        }));
    }
  });
}
