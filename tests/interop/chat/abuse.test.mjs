// Malicious or broken clients: floods, oversized packets, unknown events. They get
// error answers or are disconnected, and the server keeps serving everyone else.
// Also: a graceful shutdown tells the clients, who then reconnect on their own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { withTimeout } from '../lib/wait.mjs';
import { startChat } from './lib/chat-server.mjs';
import { ChatClient, nextMatching } from './lib/sio-client.mjs';

const MAX_UPLOAD = 4096;

let server;
const clients = [];

before(async () => {
  server = await startChat({ maxUpload: MAX_UPLOAD });
});

after(async () => {
  for (const c of clients) c.close();
  await server?.stop();
});

async function client(opts) {
  const c = await ChatClient.connect(server.url, opts);
  clients.push(c);
  return c;
}

// A bystander who must keep being served while someone misbehaves.
async function bystanderPair(room) {
  const a = await client();
  await a.joined('calm-a', room);
  const b = await client();
  await b.joined('calm-b', room);
  return async (text) => {
    assert.equal((await a.say(text)).ok, true);
    await nextMatching(b.messages, (m) => m.text === text);
  };
}

// Emits `count` requests at once and collects their answers (or the disconnect).
function burst(c, count, emit) {
  const answers = [];
  for (let i = 0; i < count; i++) {
    emit(i, (err, answer) => answers.push(err ? { ok: false, error: 'no-answer' } : answer));
  }
  return answers;
}

test('a flood of messages gets rate-limited answers, then the socket is kicked; others are unaffected', async () => {
  const check = await bystanderPair('flood-a');
  const flooder = await client();
  await flooder.joined('flooder', 'flood-b');
  const kicked = new Promise((resolve) => flooder.socket.once('kicked', resolve));
  const answers = burst(flooder, 400, (i, cb) => flooder.socket.timeout(5000).emit('message', { text: `spam ${i}` }, cb));
  const notice = await withTimeout(kicked, 5000, "'kicked'");
  assert.equal(notice.reason, 'flood');
  assert.equal(await flooder.waitDisconnect(), 'io server disconnect');
  const limited = answers.filter((a) => a.error === 'rate-limited');
  const accepted = answers.filter((a) => a.ok);
  assert.ok(limited.length > 0, 'some requests answered rate-limited');
  assert.ok(accepted.length > 0 && accepted.length < 400, `accepted ${accepted.length}`);
  await check('still serving');
});

test('a flood of typing notices also gets the socket kicked', async () => {
  const check = await bystanderPair('typing-a');
  const flooder = await client();
  await flooder.joined('typist', 'typing-b');
  for (let i = 0; i < 200; i++) flooder.socket.emit('typing');
  assert.equal(await flooder.waitDisconnect(), 'io server disconnect');
  await check('typing flood survived');
});

test('unknown events are ignored and cost tokens', async () => {
  const c = await client();
  await c.joined('odd', 'unknown');
  c.socket.emit('no-such-event', { x: 1 }, () => assert.fail('unknown events get no answer'));
  c.socket.emit('__proto__', 1);
  c.socket.emit('constructor');
  assert.equal((await c.request('rooms')).ok, true);
  assert.equal((await c.say('fine')).ok, true);
});

test('a packet larger than the engine limit closes that connection only', async () => {
  const check = await bystanderPair('huge-a');
  const big = await client();
  await big.joined('big', 'huge-b');
  big.socket.emit('message', { text: 'x'.repeat(2 * MAX_UPLOAD + 65536 + 1024) });
  const reason = await big.waitDisconnect();
  assert.match(reason, /transport (close|error)/);
  await check('huge packet survived');
});

test('odd argument shapes get bad-request answers, not a crash', async () => {
  const check = await bystanderPair('shapes-a');
  const c = await client();
  await c.joined('shapes', 'shapes-b');
  const deep = {};
  let cur = deep;
  for (let i = 0; i < 60; i++) cur = cur.next = {};
  for (const args of [[], [undefined], [{ text: deep }], [{ text: 'a' }, 'extra'], [Buffer.alloc(10)], [{ text: { toString: 'x' } }]]) {
    const answer = await c.request('message', ...args);
    if (args.length === 2) assert.equal(answer.ok, true); // extra arguments are ignored
    else assert.equal(answer.error, 'bad-request', JSON.stringify(args));
  }
  // No callback at all: processed, nothing to answer, nothing breaks.
  c.socket.emit('message', { text: 'no callback' });
  c.socket.emit('join', 'garbage');
  assert.equal((await c.say('after odd shapes')).ok, true);
  await check('odd shapes survived');
});

test('a graceful shutdown tells the clients, and they reconnect to the next server', async () => {
  const own = await startChat();
  const c = await ChatClient.connect(own.url);
  try {
    await c.joined('last', 'shutdown');
    const told = new Promise((resolve) => c.socket.once('server-shutdown', resolve));
    const exited = new Promise((resolve) => own.proc.once('exit', (code, signal) => resolve({ code, signal })));
    own.proc.kill('SIGINT');
    const notice = await withTimeout(told, 5000, "'server-shutdown'");
    assert.equal(typeof notice.message, 'string');
    // Not a Socket.IO disconnect: the client would not reconnect after one.
    assert.match(await c.waitDisconnect(), /transport (close|error)/);
    assert.deepEqual(await withTimeout(exited, 5000, 'the server to exit'), { code: 0, signal: null });
  } finally {
    c.close();
    await own.stop();
  }
});

test('rooms are capped at 100: with all busy a new one is refused, else the quietest empty one goes', async () => {
  const own = await startChat();
  const sockets = [];
  try {
    // "general" plus 99 rooms, each kept busy by one member.
    for (let i = 0; i < 99; i++) {
      const c = await ChatClient.connect(own.url);
      sockets.push(c);
      await c.joined('holder', `busy-${i}`);
    }
    const extra = await ChatClient.connect(own.url);
    sockets.push(extra);
    assert.equal((await extra.join('new', 'one-too-many')).error, 'too-many-rooms');
    assert.equal((await extra.join('new', 'general')).ok, true); // existing rooms still work
    // busy-0 empties (its member moves to general): it is forgotten for the new room.
    await sockets[0].joined('mover', 'general');
    assert.equal((await extra.join('new', 'one-too-many')).ok, true);
    const { rooms } = await extra.request('rooms');
    assert.equal(rooms.length, 100);
    assert.ok(!rooms.some((r) => r.name === 'busy-0'));
  } finally {
    for (const c of sockets) c.close();
    await own.stop();
  }
});
