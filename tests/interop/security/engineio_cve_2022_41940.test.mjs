// engine.io CVE-2022-41940 (GHSA-r7qp-cfhv-p84w, fixed in engine.io 3.6.1 / 6.2.1):
// "a specially crafted HTTP request can trigger an uncaught exception on the
// Engine.IO server, thus killing the Node.js process" (read ECONNRESET).
// The request of the report (engine.io PR #658, found by a Nessus scan) is an
// HTTP/2 cleartext upgrade (Upgrade: h2c); the fix catches the socket's error
// when the server drops an upgrade it does not handle and the peer resets.
//
// Replayed against each of our servers: h2c upgrades on and off the
// Engine.IO path, WebSocket upgrades the server refuses, each followed by a
// TCP reset from the client (before and after the answer). The server must
// answer over HTTP/1.1 (an Upgrade it does not speak is ignored, RFC 9110
// section 7.8, or refused), never switch protocols, and keep serving. (This
// is stricter than engine.io, which since the fix ends such connections
// without an answer after destroyUpgradeTimeout, 1 s.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RawConnection, requestHead, websocketUpgradeHeaders } from './lib/raw.mjs';
import { KINDS, replay, serverFixture } from './lib/servers.mjs';

// How many times each resetting request is repeated: the reset races the
// server's read and write, so a few rounds reach both orders.
const ROUNDS = 20;

function h2cHeaders(port) {
  return [
    ['Host', `127.0.0.1:${port}`],
    ['Connection', 'Upgrade, HTTP2-Settings'],
    ['Upgrade', 'h2c'],
    ['HTTP2-Settings', 'AAMAAABkAARAAAAAAAIAAAAA'], // SETTINGS: 100 streams, 1 MiB window
  ];
}

// Targets of the crafted requests: the Engine.IO handshake (when the server
// has one) and paths outside it.
function targets(server) {
  const list = ['/', '/not-here'];
  if (server.enginePath) list.unshift(`${server.enginePath}?EIO=4&transport=polling`);
  return list;
}

// Sends `head`, resets the connection at once (before any answer is read).
async function sendAndReset(port, head) {
  const conn = await RawConnection.open(port);
  await conn.write(head);
  conn.reset();
}

// Sends `head`, reads the whole answer, then resets instead of closing.
async function answerThenReset(port, head) {
  const conn = await RawConnection.open(port);
  await conn.write(head);
  const res = await conn.response();
  conn.reset();
  return res;
}

// Each target is answered over HTTP/1.1 (the h2c upgrade is not taken).
async function h2cAnswered(server) {
  for (const target of targets(server)) {
    const res = await answerThenReset(server.port, requestHead('GET', target, h2cHeaders(server.port)));
    assert.notEqual(res.status, 101, `${target}: switched protocols`);
    assert.ok([200, 400, 404].includes(res.status), `${target}: answered ${res.status} ${res.body}`);
  }
}

async function h2cReset(server) {
  for (let i = 0; i < ROUNDS; i++) {
    for (const target of targets(server)) await sendAndReset(server.port, requestHead('GET', target, h2cHeaders(server.port)));
  }
}

// engine.io's crash paths: an upgrade outside its path (destroyed after a
// delay), and one refused by verify() (abortUpgrade writes a 400). Every
// other round resets before the answer; the others check the answer first.
async function refusedUpgradesReset(server) {
  const refused = ['/not-here', '/not-here?EIO=4&transport=websocket'];
  if (server.enginePath) {
    refused.push(
      `${server.enginePath}?EIO=4&transport=websocket&sid=no-such-session`,
      `${server.enginePath}?EIO=4&transport=flash`,
      `${server.enginePath}?EIO=3&transport=websocket`,
    );
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const target of refused) {
      const head = requestHead('GET', target, websocketUpgradeHeaders(server.port).headers);
      if (i % 2) {
        await sendAndReset(server.port, head);
        continue;
      }
      const res = await answerThenReset(server.port, head);
      // websocket-echo serves WebSocket at any path; the others refuse
      if (server.kind === 'websocket-echo') assert.equal(res.status, 101, `${target}: answered ${res.status} ${res.body}`);
      else assert.ok([400, 404].includes(res.status), `${target}: answered ${res.status} ${res.body}`);
    }
  }
}

for (const kind of Object.keys(KINDS)) {
  describe(kind, () => {
    const server = serverFixture(kind);

    test('an h2c upgrade request is answered over HTTP/1.1, without switching protocols', () =>
      replay(server, () => h2cAnswered(server)));

    test('h2c upgrade requests reset by the client before the answer', () => replay(server, () => h2cReset(server)));

    test('WebSocket upgrades the server refuses, reset by the client', () =>
      replay(server, () => refusedUpgradesReset(server)));
  });
}
