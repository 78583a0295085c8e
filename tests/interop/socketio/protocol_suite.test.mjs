// The Socket.IO part of the Socket.IO v5 protocol document's test suite
// (socket.io docs/socket.io-protocol/v5-test-suite), rewritten for node:test,
// against socketio-suite-server (pingInterval 300, pingTimeout 200,
// connectTimeout 1000) with one and with two event loops. Raw WebSocket
// frames, compared as text, as the original does.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RawWebSocket } from '../lib/eio-raw.mjs';
import { eioUrl } from '../lib/http.mjs';
import { THREADS, programFixture } from './helpers.mjs';

const PLACEHOLDERS = '{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}';

for (const threads of THREADS) {
  describe(`socketio-suite-server --threads ${threads}`, () => {
    const server = programFixture('socketio-suite-server', ['--threads', String(threads)]);

    // A WebSocket whose Engine.IO open packet has been read.
    async function open(t) {
      const ws = new RawWebSocket(eioUrl(server.url.replace(/^http/, 'ws'), { EIO: 4, transport: 'websocket' }, '/socket.io/'));
      t.after(() => ws.destroy());
      const handshake = await ws.next();
      assert.equal(handshake[0], '0');
      return ws;
    }
    const next = (ws) => ws.nextSkippingPings();

    // Connected to "/", the "auth" packet read.
    async function connected(t) {
      const ws = await open(t);
      ws.send('40');
      assert.match(await next(ws), /^40\{/);
      assert.equal(await next(ws), '42["auth",{}]');
      return ws;
    }

    function assertSidOnly(packet, prefix) {
      assert.ok(packet.startsWith(prefix), packet);
      const handshake = JSON.parse(packet.slice(prefix.length));
      assert.deepEqual(Object.keys(handshake), ['sid']);
      assert.equal(typeof handshake.sid, 'string');
    }

    describe('connect', () => {
      test('to the main namespace', async (t) => {
        const ws = await open(t);
        ws.send('40');
        assertSidOnly(await next(ws), '40');
        assert.equal(await next(ws), '42["auth",{}]');
      });

      test('to the main namespace with a payload', async (t) => {
        const ws = await open(t);
        ws.send('40{"token":"123"}');
        assertSidOnly(await next(ws), '40');
        assert.equal(await next(ws), '42["auth",{"token":"123"}]');
      });

      test('to a custom namespace', async (t) => {
        const ws = await open(t);
        ws.send('40/custom,');
        assertSidOnly(await next(ws), '40/custom,');
        assert.equal(await next(ws), '42/custom,["auth",{}]');
      });

      test('to a custom namespace with a payload', async (t) => {
        const ws = await open(t);
        ws.send('40/custom,{"token":"abc"}');
        assertSidOnly(await next(ws), '40/custom,');
        assert.equal(await next(ws), '42/custom,["auth",{"token":"abc"}]');
      });

      test('to an unknown namespace is refused', async (t) => {
        const ws = await open(t);
        ws.send('40/random');
        assert.equal(await next(ws), '44/random,{"message":"Invalid namespace"}');
      });

      test('with an invalid handshake closes the connection', async (t) => {
        const ws = await open(t);
        ws.send('4abc');
        await ws.waitClose();
      });

      test('without a handshake within connectTimeout closes the connection', async (t) => {
        const ws = await open(t);
        ws.answerPings();
        await ws.waitClose(3000);
      });
    });

    describe('disconnect', () => {
      test('from the main namespace', async (t) => {
        const ws = await connected(t);
        ws.send('41');
        assert.equal(await ws.next(), '2'); // nothing but the next ping
      });

      test('from a custom namespace, the main one stays', async (t) => {
        const ws = await connected(t);
        ws.send('40/custom');
        assert.match(await next(ws), /^40\/custom,/);
        assert.equal(await next(ws), '42/custom,["auth",{}]');
        ws.send('41/custom');
        ws.send('42["message","message to main namespace"]');
        assert.equal(await next(ws), '42["message-back","message to main namespace"]');
      });
    });

    describe('message', () => {
      test('plain text', async (t) => {
        const ws = await connected(t);
        ws.send('42["message",1,"2",{"3":[true]}]');
        assert.equal(await next(ws), '42["message-back",1,"2",{"3":[true]}]');
      });

      test('binary attachments', async (t) => {
        const ws = await connected(t);
        ws.send(`452-["message",${PLACEHOLDERS}]`);
        ws.send(Uint8Array.from([1, 2, 3]));
        ws.send(Uint8Array.from([4, 5, 6]));
        assert.equal(await next(ws), `452-["message-back",${PLACEHOLDERS}]`);
        assert.deepEqual([...(await next(ws))], [1, 2, 3]);
        assert.deepEqual([...(await next(ws))], [4, 5, 6]);
      });

      test('plain text with an ack', async (t) => {
        const ws = await connected(t);
        ws.send('42456["message-with-ack",1,"2",{"3":[false]}]');
        assert.equal(await next(ws), '43456[1,"2",{"3":[false]}]');
      });

      test('binary attachments with an ack', async (t) => {
        const ws = await connected(t);
        ws.send(`452-789["message-with-ack",${PLACEHOLDERS}]`);
        ws.send(Uint8Array.from([1, 2, 3]));
        ws.send(Uint8Array.from([4, 5, 6]));
        assert.equal(await next(ws), `462-789[${PLACEHOLDERS}]`);
        assert.deepEqual([...(await next(ws))], [1, 2, 3]);
        assert.deepEqual([...(await next(ws))], [4, 5, 6]);
      });

      for (const [what, packet] of [
        ['unknown packet type', '4abc'],
        ['invalid payload format', '42{}'],
        ['invalid ack id', '42abc["message-with-ack",1,"2",{"3":[false]}]'],
      ]) {
        test(`an invalid packet (${what}) closes the connection`, async (t) => {
          const ws = await connected(t);
          ws.answerPings();
          ws.send(packet);
          await ws.waitClose();
        });
      }
    });
  });
}
