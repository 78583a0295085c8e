// Socket.IO packets sent by hand to a server's default namespace, over a raw
// WebSocket or a polling session, and the two outcomes the CVE replays
// expect: the server drops the whole connection (socket.io's answer to a
// packet its decoder throws on), or it ignores the packet and goes on.
import assert from 'node:assert/strict';
import { RawWsPeer } from './raw-ws.mjs';
import { openPolling } from './servers.mjs';

// Sent after the crafted packets: the echo it gets back tells whether the
// connection still serves.
export const AFTER = '42["echo","after"]';

// A raw WebSocket joined to "/" on `fixture`'s server.
export function joinedPeer(fixture) {
  return RawWsPeer.engineIo(fixture.port, fixture.enginePath, { namespace: '/' });
}

// Sends `messages` (strings as text frames, Buffers as binary frames) then
// AFTER, and asserts the server closes the connection without having
// processed AFTER: socket.io closes the Engine.IO connection when its decoder
// throws (Client.onerror). Returns every text frame received.
export async function assertDropped(fixture, messages) {
  const peer = await joinedPeer(fixture);
  try {
    for (const m of messages) await peer.send(m);
    await peer.send(AFTER);
    const { code, texts } = await peer.waitClosed();
    assert.notEqual(code, null, `a close frame before the end of TCP; received ${peer.describe()}`);
    assert.ok(!texts.includes(AFTER), `the packet after the malformed one was processed: ${JSON.stringify(texts)}`);
    return texts;
  } finally {
    peer.destroy();
  }
}

// Sends `messages` then AFTER, and asserts AFTER is echoed on the same
// connection (the crafted packets were ignored, nothing closed). Returns the
// text frames received up to the echo.
export async function assertIgnored(fixture, messages) {
  const peer = await joinedPeer(fixture);
  try {
    for (const m of messages) await peer.send(m);
    await peer.send(AFTER);
    await peer.waitText((t) => t === AFTER, `the echo of ${AFTER} after ${JSON.stringify(messages)}`);
    assert.ok(!peer.conn.ended, 'the connection is still open');
    return peer.texts();
  } finally {
    peer.destroy();
  }
}

// The same over long-polling: `payload` (an Engine.IO payload, packets joined
// by \x1e) is POSTed after joining "/", and the session must be over
// afterwards: the next poll gets the close packet or finds no session.
export async function assertPollingDropped(fixture, payload) {
  const session = await openPolling(fixture);
  assert.equal((await session.post('40')).status, 200);
  assert.match((await session.poll()).text, /^40\{"sid":/);
  const post = await session.post(`${payload}\x1e${AFTER}`);
  assert.equal(post.status, 200, `POST answered ${post.status} ${post.text}`);
  const res = await session.poll();
  const closed = (res.status === 200 && res.text.split('\x1e').includes('1')) || (res.status === 400 && JSON.parse(res.text).code === 1);
  assert.ok(closed, `the session goes on after a malformed packet: poll answered ${res.status} ${JSON.stringify(res.text)}`);
  assert.ok(!res.text.includes(AFTER), 'the packet after the malformed one was processed');
}
