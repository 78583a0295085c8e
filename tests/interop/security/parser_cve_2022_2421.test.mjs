// socket.io-parser CVE-2022-2421 (GHSA-qm95-pgcg-qqfq, fixed in
// socket.io-parser 3.3.3 / 3.4.2 / 4.0.5 / 4.2.1, commit b5d0cb7 "check the
// format of the index of each attachment"): insufficient validation of binary
// attachments. '51-["hello",{"_placeholder":true,"num":"splice"}]' followed by
// a binary message was decoded as ["hello", Array.prototype.splice]: a
// placeholder's num indexed the attachments array with any property name.
//
// The fix's rules, which our decoder must enforce: a placeholder's num is an
// integer in [0, attachments); a binary message with no packet awaiting it,
// and a text message while attachments are awaited, are errors. socket.io
// closes the connection on a decoder error, so our servers must too, before
// reading anything after it. A placeholder in a packet that announces no
// attachments is plain data (socket.io-parser never resolves it): it comes
// back as the same JSON, never as binary.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertDropped, assertIgnored, assertPollingDropped, joinedPeer } from './lib/sio-raw.mjs';
import { replay, serverFixture } from './lib/servers.mjs';

const WORLD = Buffer.from('world');
const placeholder = (num) => `{"_placeholder":true,"num":${JSON.stringify(num)}}`;

// Binary packets whose placeholders must not be resolved, each followed by
// the one attachment it announces.
const ILLEGAL_NUMS = {
  'num "splice" (the advisory\'s packet)': 'splice',
  'num "__proto__"': '__proto__',
  'num "length"': 'length',
  'num "0" (a string)': '0',
  'num 1 with one attachment (out of bounds)': 1,
  'num -1': -1,
  // socket.io-parser's check (typeof num === "number") lets 0.5 through and
  // resolves it to undefined; an index that names no attachment is refused here
  'num 0.5': 0.5,
  'num null': null,
};

describe('socketio-echo', () => {
  const server = serverFixture('socketio-echo');

  test('control: a binary event with a valid placeholder is echoed with its attachment', () =>
    replay(server, async () => {
      const peer = await joinedPeer(server);
      try {
        await peer.sendText(`451-["echo",${placeholder(0)}]`);
        await peer.sendBinary(WORLD);
        const attachment = await peer.conn.until(() => {
          const frames = peer.frames();
          const i = frames.findIndex((f) => f.opcode === 1 && f.payload.toString() === `451-["echo",${placeholder(0)}]`);
          return i >= 0 && frames[i + 1] ? frames[i + 1] : undefined;
        }, 'the echo and its attachment');
        assert.equal(attachment.opcode, 2, 'the attachment is a binary frame');
        assert.deepEqual(Buffer.from(attachment.payload), WORLD);
      } finally {
        peer.destroy();
      }
    }));

  for (const [name, num] of Object.entries(ILLEGAL_NUMS)) {
    test(`a placeholder with ${name} closes the connection`, () =>
      replay(server, () => assertDropped(server, [`451-["echo",${placeholder(num)}]`, WORLD])));
  }

  test('a placeholder without num closes the connection', () =>
    replay(server, () => assertDropped(server, ['451-["echo",{"_placeholder":true}]', WORLD])));

  test('a nested illegal placeholder closes the connection', () =>
    replay(server, () => assertDropped(server, [`451-["echo",{"a":[${placeholder(0)},${placeholder('splice')}]}]`, WORLD])));

  test('placeholders referring to more attachments than announced close the connection', () =>
    replay(server, () => assertDropped(server, [`451-["echo",${placeholder(0)},${placeholder(1)}]`, WORLD])));

  test('a binary message with no packet awaiting it closes the connection', () =>
    replay(server, () => assertDropped(server, [WORLD])));

  test('a text packet while an attachment is awaited closes the connection', () =>
    replay(server, () => assertDropped(server, [`451-["echo",${placeholder(0)}]`, '42["echo"]'])));

  test('over polling too: the advisory\'s packet ends the session', () =>
    replay(server, () =>
      assertPollingDropped(server, `451-["echo",${placeholder('splice')}]\x1eb${WORLD.toString('base64')}`),
    ));

  test('a placeholder in a packet without attachments is plain data: echoed as the same JSON, as text', () =>
    replay(server, async () => {
      for (const num of [0, 'splice']) {
        const packet = `42["echo",${placeholder(num)}]`;
        const texts = await assertIgnored(server, [packet]);
        assert.ok(texts.includes(packet), `echoed as ${JSON.stringify(texts)}`);
        assert.ok(!texts.some((t) => t.startsWith('45')), 'no binary packet in the answer');
      }
    }));
});
