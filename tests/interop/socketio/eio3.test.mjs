// Engine.IO 3 clients (socket.io-client 2.5.0, npm alias socket.io-client-v2)
// against --allow-eio3: over WebSocket, long-polling, and long-polling
// upgraded, with a v4 client (socket.io-client 4.x) in the same room. And the
// default: EIO=3 refused as engine.io refuses it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ioV2 from 'socket.io-client-v2';
import { ENGINE_ERRORS } from '../lib/eio-raw.mjs';
import { eioUrl, httpFetch } from '../lib/http.mjs';
import { DEFAULT_TIMEOUT_MS } from '../lib/wait.mjs';
import { EventQueue, ask, bytes, connect, nextEvent, programFixture, withTimeout } from './helpers.mjs';

const MODES_V2 = { websocket: ['websocket'], polling: ['polling'], upgrade: ['polling', 'websocket'] };

// A socket.io-client 2.x socket, connected (the server joins it to "/" on open;
// other namespaces get CONNECT with the query in the namespace).
async function connectV2(t, base, { nsp = '/', mode = 'websocket', query, record = [] } = {}) {
  const socket = ioV2(new URL(nsp, base).toString(), {
    transports: MODES_V2[mode],
    forceNew: true,
    reconnection: false,
    query,
  });
  t.after(() => socket.close());
  socket.recorded = Object.fromEntries(record.map((e) => [e, new EventQueue(socket, e)]));
  await nextEvent(socket, 'connect', { failOn: ['connect_error', 'error'] });
  if (mode === 'upgrade' && socket.io.engine.transport.name !== 'websocket') await nextEvent(socket.io.engine, 'upgrade');
  return socket;
}

// emit with an acknowledgement (socket.io-client 2.x has no timeout()).
function askV2(socket, event, ...args) {
  return withTimeout(new Promise((resolve) => socket.emit(event, ...args, (...reply) => resolve(reply))),
    DEFAULT_TIMEOUT_MS, `ack of ${event}`);
}

describe('allow_eio3 off (the default)', () => {
  const server = programFixture('socketio-echo', ['--threads', '1']);

  test('EIO=3 is refused: 400 {"code":5,"message":"Unsupported protocol version"}', async () => {
    const res = await httpFetch(eioUrl(server.url, { EIO: 3, transport: 'polling' }, '/socket.io/'));
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.text), ENGINE_ERRORS.UNSUPPORTED_PROTOCOL_VERSION);
  });
});

describe('socketio-echo --allow-eio3', () => {
  const server = programFixture('socketio-echo', ['--threads', '1', '--allow-eio3']);

  test('a v2 client is joined to "/" and echoed, with binary', async (t) => {
    const s = await connectV2(t, server.url, { mode: 'upgrade', record: ['echo'] });
    const [text, data] = await askV2(s, 'echo', 'hi', Buffer.from([1, 2, 3]));
    assert.equal(text, 'hi');
    assert.deepEqual(bytes(data), [1, 2, 3]);
    const [again, dataAgain] = await s.recorded.echo.next();
    assert.equal(again, 'hi');
    assert.deepEqual(bytes(dataAgain), [1, 2, 3]);
  });
});

describe('socketio-test-server --allow-eio3', () => {
  const server = programFixture('socketio-test-server', ['--threads', '1', '--allow-eio3']);

  for (const mode of Object.keys(MODES_V2)) {
    describe(mode, () => {
      test('connects to "/" without CONNECT; its socket id is the engine id (protocol 4)', async (t) => {
        const s = await connectV2(t, server.url, { mode });
        assert.equal(s.id, s.io.engine.id);
      });

      test('acknowledgements both ways', async (t) => {
        const s = await connectV2(t, server.url, { mode });
        assert.deepEqual(await askV2(s, 'ack', 1, 'two', { three: [3] }), [1, 'two', { three: [3] }]);
        s.on('question', (a, b, answer) => answer(a + b, 'from v2'));
        assert.deepEqual(await askV2(s, 'server-ask', 'question', 0, 40, 2), ['ok', 42, 'from v2']);
      });

      test('binary both ways', async (t) => {
        const s = await connectV2(t, server.url, { mode, record: ['binary'] });
        const [echoed] = await askV2(s, 'ack', { file: Buffer.from([0, 1, 254, 255]), list: [Buffer.from([7])] });
        assert.deepEqual(bytes(echoed.file), [0, 1, 254, 255]);
        assert.deepEqual(bytes(echoed.list[0]), [7]);
        await askV2(s, 'send-binary');
        const [first, nested] = await s.recorded.binary.next();
        assert.deepEqual(bytes(first), [1, 2, 3]);
        assert.deepEqual(bytes(nested.deep.bytes), [4, 5]);
        assert.deepEqual(bytes(nested.list[0]), [6]);
        assert.equal(nested.list[1], 7);
      });

      test('in a room with a v4 client: text and binary both ways', async (t) => {
        const v2 = await connectV2(t, server.url, { mode, record: ['chat'] });
        const v4 = await connect(t, server.url, { mode, record: ['chat'] });
        await askV2(v2, 'join', 'lobby');
        await ask(v4, 'join', 'lobby');
        await ask(v4, 'emit-to', { to: 'lobby', except: v4.id, event: 'chat' }, 'from v4', Buffer.from([4, 4]));
        const [text2, bin2] = await v2.recorded.chat.next();
        assert.equal(text2, 'from v4');
        assert.deepEqual(bytes(bin2), [4, 4]);
        await askV2(v2, 'emit-to', { to: 'lobby', except: v2.id, event: 'chat' }, 'from v2', Buffer.from([2, 2]));
        const [text4, bin4] = await v4.recorded.chat.next();
        assert.equal(text4, 'from v2');
        assert.deepEqual(bytes(bin4), [2, 2]);
      });

      test('a namespace with a query: the query is the auth; a refusal carries its data', async (t) => {
        const admin = await connectV2(t, server.url, { nsp: '/admin', mode, query: { token: 'secret' }, record: ['welcome'] });
        assert.deepEqual(await admin.recorded.welcome.next(), ['/admin']);
        assert.equal(admin.id, `/admin#${admin.io.engine.id}`);
        const refused = ioV2(new URL('/admin', server.url).toString(), {
          transports: MODES_V2[mode], forceNew: true, reconnection: false, query: { token: 'wrong' },
        });
        t.after(() => refused.close());
        const [err] = await nextEvent(refused, 'error', { failOn: ['connect'] });
        assert.deepEqual(err, { code: 401 });  // protocol 4: the error's data as it is
      });
    });
  }
});
