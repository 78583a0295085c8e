// ws CVE-2021-32640 (GHSA-6fc8-4gx4-v693, fixed in ws 5.2.3 / 6.2.2 / 7.4.6,
// commit 00c425e): ReDoS in the parsing of Sec-WebSocket-Protocol. ws split
// the header with / *, */, which backtracks quadratically on a value such as
// "b" + " " * n + "x"; a few such handshakes kept the server busy for seconds.
//
// Our servers must answer such handshakes in time linear in their size: a
// value that fits the header limit gets its handshake answered (101 and a
// working connection, or a 400 for a malformed list), one past the limit is
// refused with an HTTP error (400 or 431), and the server goes on serving.
// "In time" is a generous bounded wait (DEFAULT_TIMEOUT_MS, 5 s) for each of
// CONCURRENT handshakes sent at once, not a timing assertion: ws 7.4.5 spends
// about 0.25 s of CPU on one 15,000-byte value (its event loop is blocked
// meanwhile), so the last of 40 would wait some 10 s.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RawConnection, describeBytes, requestHead } from './lib/raw.mjs';
import { RawWsPeer } from './lib/raw-ws.mjs';
import { KINDS, replay, serverFixture } from './lib/servers.mjs';

// Handshakes sent at once: the attack sends several to hold the event loop.
const CONCURRENT = 40;

// Values of `length` bytes: the advisory's shape, and variants that also
// defeat a split on / *, */.
function values(length) {
  const half = ' '.repeat((length - 3) / 2);
  return {
    '"b" + spaces + "x"': `b${' '.repeat(length - 2)}x`,
    '"b" + spaces + "," + spaces + "x"': `b${half},${half}x`,
    '" ," repeated': ' ,'.repeat((length - 1) / 2),
  };
}

// Fits our 16 KB header limit (and Node's); 30000, the size the advisory's
// example reaches, does not.
const WITHIN_LIMIT = 15001;
const PAST_LIMIT = 30001;

function websocketTarget(server) {
  return server.enginePath ? `${server.enginePath}?EIO=4&transport=websocket` : '/chat';
}

// The handshake works: 101, then an answer on the connection; or a 400 (a
// list that is not tokens). A subprotocol, if one is selected, is one offered.
async function assertHandshakeAnswered(server, value) {
  const { conn, res, peer } = await RawWsPeer.upgrade(server.port, websocketTarget(server), {
    extraHeaders: [['Sec-WebSocket-Protocol', value]],
  });
  try {
    if (res.status === 400) return;
    assert.equal(res.status, 101, `answered ${res.status} ${res.body}`);
    const selected = res.headers['sec-websocket-protocol'];
    if (selected !== undefined) assert.ok(value.split(',').map((p) => p.trim()).includes(selected), `selected ${selected}`);
    if (server.enginePath) {
      await peer.waitText((t) => t.startsWith('0{'), 'the open packet');
    } else {
      await peer.sendText('hello');
      await peer.waitText((t) => t === 'hello', 'the echo');
    }
  } finally {
    conn.destroy();
  }
}

// Refused over HTTP: the server reads the whole header section, then answers.
async function assertRefused(server, target, headers) {
  const conn = await RawConnection.open(server.port);
  try {
    await conn.write(requestHead('GET', target, headers));
    const res = await conn.response().catch((err) => {
      throw new Error(`no HTTP answer: ${err.message}`);
    });
    assert.ok([400, 431].includes(res.status), `answered ${res.status} ${res.body}; received ${describeBytes(conn.data)}`);
  } finally {
    conn.destroy();
  }
}

for (const kind of Object.keys(KINDS)) {
  describe(kind, () => {
    const server = serverFixture(kind);

    for (const [name, value] of Object.entries(values(WITHIN_LIMIT))) {
      test(`Sec-WebSocket-Protocol ${name}, ${value.length} bytes: the handshake is answered`, () =>
        replay(server, async () => {
          await Promise.all(Array.from({ length: CONCURRENT }, () => assertHandshakeAnswered(server, value)));
        }));
    }

    for (const [name, value] of Object.entries(values(PAST_LIMIT))) {
      test(`Sec-WebSocket-Protocol ${name}, ${value.length} bytes (past the header limit): refused with 400 or 431`, () =>
        replay(server, async () => {
          const refusals = Array.from({ length: CONCURRENT }, () =>
            assertRefused(server, websocketTarget(server), [
              ['Host', `127.0.0.1:${server.port}`],
              ['Connection', 'Upgrade'],
              ['Upgrade', 'websocket'],
              ['Sec-WebSocket-Version', '13'],
              ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
              ['Sec-WebSocket-Protocol', value],
            ]),
          );
          await Promise.all(refusals);
        }));
    }

    if (KINDS[kind].enginePath) {
      test('the same header on a polling handshake is ignored: the handshake is answered', () =>
        replay(server, async () => {
          for (const value of Object.values(values(WITHIN_LIMIT))) {
            const conn = await RawConnection.open(server.port);
            try {
              await conn.write(
                requestHead('GET', `${server.enginePath}?EIO=4&transport=polling`, [
                  ['Host', `127.0.0.1:${server.port}`],
                  ['Sec-WebSocket-Protocol', value],
                ]),
              );
              const res = await conn.response();
              assert.equal(res.status, 200, `answered ${res.status} ${res.body}`);
              assert.ok(res.body.toString().startsWith('0{'), 'the open packet');
            } finally {
              conn.destroy();
            }
          }
        }));
    }
  });
}
