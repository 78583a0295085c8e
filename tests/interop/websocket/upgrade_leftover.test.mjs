// A bad frame in the same segment as the upgrade request, on all three
// servers: the 101 must still go first, then the close frame with the code for
// the violation (1002, 1007, 1009), then the end of the connection. Good
// frames there are messages like any other: answered after the 101 (and,
// on Engine.IO, after the open packet).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { programCommand, startEngineIoEcho, startProgram } from '../lib/server.mjs';
import { RawPeer, clientFrame, tcpConnect, upgradeRequest } from '../lib/ws-raw.mjs';

const TEST_TIMEOUT_MS = 10000;

// For each server: the messages sent with the upgrade request and the text
// messages expected back (a RegExp matches one), in order.
const servers = [
  {
    name: 'websocket-echo',
    start: () => startProgram(programCommand('websocket-echo'), ['--port', '0']),
    target: '/any',
    early: ['one', 'two'],
    answers: ['one', 'two'],
  },
  {
    name: 'engineio-echo',
    start: () => startEngineIoEcho(),
    target: '/engine.io/?EIO=4&transport=websocket',
    early: ['4one', '4two'],
    answers: [/^0\{"sid":/, '4one', '4two'],
  },
  {
    name: 'socketio-echo',
    start: () => startProgram(programCommand('socketio-echo'), ['--port', '0']),
    target: '/socket.io/?EIO=4&transport=websocket',
    early: ['40', '42["echo","one"]', '42["echo","two"]'],
    answers: [/^0\{"sid":/, /^40\{"sid":/, '42["echo","one"]', '42["echo","two"]'],
  },
];

const badFrames = [
  { what: 'an unmasked frame', frame: () => clientFrame(0x1, 'hi', { masked: false }), code: 1002 },
  { what: 'a reserved bit', frame: () => clientFrame(0x1, 'hi', { rsv: 0x40 }), code: 1002 },
  { what: 'a reserved opcode', frame: () => clientFrame(0x3, 'x'), code: 1002 },
  { what: 'invalid UTF-8', frame: () => clientFrame(0x1, Buffer.from([0x6f, 0x6b, 0xed, 0xa0, 0x80])), code: 1007 },
  { what: 'a length over any limit', frame: () => clientFrame(0x2, Buffer.alloc(0), { length: 2 ** 31 }), code: 1009 },
];

for (const s of servers) {
  describe(s.name, () => {
    let server;
    before(async () => {
      server = await s.start();
    });
    after(async () => {
      await server?.stop();
    });

    test('messages right behind the upgrade request are answered after the 101', { timeout: TEST_TIMEOUT_MS }, async () => {
      const peer = await RawPeer.open(server.port, s.target, Buffer.concat(s.early.map((m) => clientFrame(0x1, m))));
      try {
        const answers = [];
        for (let i = 0; i < s.answers.length; i++) {
          const frame = await peer.next(0x1);
          if (!frame) break;
          answers.push(frame.payload.toString());
        }
        assert.match(peer.status(), /^HTTP\/1\.1 101/);
        assert.equal(answers.length, s.answers.length, `answers: ${JSON.stringify(answers)}`);
        s.answers.forEach((want, i) => {
          if (want instanceof RegExp) assert.match(answers[i], want);
          else assert.equal(answers[i], want);
        });
      } finally {
        peer.destroy();
      }
    });

    for (const bad of badFrames) {
      test(`${bad.what} right behind the upgrade request: 101, then close ${bad.code}`, { timeout: TEST_TIMEOUT_MS }, async () => {
        const sock = await tcpConnect(server.port);
        const chunks = [];
        sock.on('data', (c) => chunks.push(c));
        const closed = once(sock, 'close');
        sock.write(Buffer.concat([Buffer.from(upgradeRequest(s.target)), bad.frame()]));
        await closed;
        const bytes = Buffer.concat(chunks);
        assert.match(bytes.subarray(0, 13).toString('latin1'), /^HTTP\/1\.1 101/, `got ${bytes.subarray(0, 40).toString('hex')}`);
        const end = bytes.indexOf('\r\n\r\n');
        assert.ok(end > 0);
        const frame = bytes.subarray(end + 4);
        assert.equal(frame.length, 4, `one close frame after the 101, got ${frame.toString('hex')}`);
        assert.equal(frame[0], 0x88);
        assert.equal(frame[1], 2);
        assert.equal(frame.readUInt16BE(2), bad.code);
      });
    }
  });
}
