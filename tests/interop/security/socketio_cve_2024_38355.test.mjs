// socket.io CVE-2024-38355 (GHSA-25hc-qcg6-38wj, fixed in socket.io 2.5.1 /
// 4.6.2, commit 15af22f "add a noop handler for the error event"): a client
// emitting an event named "error" (a valid event name: '42["error"]') reached
// the server socket's EventEmitter as its 'error' event; with no listener,
// Node threw ERR_UNHANDLED_ERROR and the process died. The advisory's
// workaround was socket.on("error", () => {}).
//
// For our servers "error" is an event name like any other: with no handler
// it is ignored (as socket.io since the fix), the connection goes on, and
// neither the socket nor the server is affected. The same holds for names
// that are special to a JavaScript EventEmitter or object but not reserved by
// the protocol, and for acknowledgements the server never asked for.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { DEFAULT_TIMEOUT_MS, nextEvent, withTimeout } from '../lib/wait.mjs';
import { ChatClient } from '../chat/lib/sio-client.mjs';
import { assertIgnored } from './lib/sio-raw.mjs';
import { replay, serverFixture } from './lib/servers.mjs';

// Engine.IO message packets the server must ignore.
const IGNORED = {
  '"error" with no argument (the advisory\'s packet)': '42["error"]',
  '"error" with an Error-like argument': '42["error",{"message":"boom","stack":"x"}]',
  '"error" asking for an acknowledgement': '421["error",{"message":"boom"}]',
  '"error" with a binary attachment': ['451-["error",{"_placeholder":true,"num":0}]', Buffer.from('boom')],
  '"__proto__"': '42["__proto__",{"polluted":true}]',
  '"constructor"': '42["constructor"]',
  '"hasOwnProperty"': '42["hasOwnProperty","x"]',
  '"toString"': '42["toString"]',
  'an acknowledgement the server never asked for': '43999["x"]',
  'an acknowledgement with attachments the server never asked for': ['461-7[{"_placeholder":true,"num":0}]', Buffer.from('x')],
};

// emit with an acknowledgement, all of its arguments.
function ask(socket, event, ...args) {
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.timeout(DEFAULT_TIMEOUT_MS).emit(event, ...args, (err, ...reply) => (err ? reject(err) : resolve(reply)));
    }),
    DEFAULT_TIMEOUT_MS + 500,
    `the acknowledgement of ${event}`,
  );
}

describe('socketio-echo', () => {
  const server = serverFixture('socketio-echo');

  for (const [name, messages] of Object.entries(IGNORED)) {
    test(`${name} is ignored and the connection goes on`, () =>
      replay(server, async () => {
        const texts = await assertIgnored(server, [messages].flat());
        assert.ok(!texts.some((t) => t.startsWith('41')), `the socket was disconnected: ${JSON.stringify(texts)}`);
      }));
  }

  for (const transport of ['websocket', 'polling']) {
    test(`socket.io-client over ${transport}: emit("error") changes nothing, the same socket echoes afterwards`, () =>
      replay(server, async () => {
        const socket = io(server.url, { transports: [transport], forceNew: true, reconnection: false });
        try {
          await nextEvent(socket, 'connect', { failOn: ['connect_error'] });
          const disconnected = [];
          socket.on('disconnect', (reason) => disconnected.push(reason));
          socket.emit('error');
          socket.emit('error', new Error('boom').message);
          socket.emit('error', { message: 'boom' }, () => assert.fail('no handler: no acknowledgement'));
          assert.deepEqual(await ask(socket, 'echo', 'after', 1), ['after', 1]);
          assert.deepEqual(disconnected, []);
          assert.equal(socket.connected, true);
        } finally {
          socket.disconnect();
        }
      }));
  }
});

describe('sio-chat', () => {
  const server = serverFixture('sio-chat');

  test('a chat client emitting "error" stays connected and is served', () =>
    replay(server, async () => {
      const client = await ChatClient.connect(server.url);
      try {
        await client.joined('erroneous', 'cve-2024-38355');
        client.socket.emit('error');
        client.socket.emit('error', { message: 'boom' });
        const answer = await client.say('after the error event');
        assert.equal(answer.ok, true, JSON.stringify(answer));
        assert.equal(client.socket.connected, true);
      } finally {
        client.close();
      }
    }));
});
