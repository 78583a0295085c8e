// The chat server's rules (apps/sio-chat/PROTOCOL.md), checked with the official
// socket.io-client from Node: nicknames, rooms, sizes, history, direct messages,
// de-duplication, malformed requests.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startChat } from './lib/chat-server.mjs';
import { ChatClient, nextMatching } from './lib/sio-client.mjs';

const HISTORY = 5; // small, so the window is easy to overflow
const MAX_UPLOAD = 4096;

let server;
const clients = [];

before(async () => {
  server = await startChat({ history: HISTORY, maxUpload: MAX_UPLOAD });
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

let roomSeq = 0;
const freshRoom = (name = 'r') => `${name}-${++roomSeq}`;

describe('join', () => {
  test('answers with the room, its members, its history and the limits', async () => {
    const room = freshRoom();
    const a = await client();
    const answer = await a.join('ada', room);
    assert.equal(answer.ok, true);
    assert.equal(answer.nick, 'ada');
    assert.equal(answer.room, room);
    assert.deepEqual(answer.members, ['ada']);
    assert.deepEqual(answer.history, []);
    assert.equal(answer.limits.maxUpload, MAX_UPLOAD);
    assert.equal(answer.limits.history, HISTORY);
    assert.equal(answer.limits.maxNick, 24);
    assert.equal(answer.limits.maxText, 2000);
  });

  test('trims the nickname and the room name (ASCII white space)', async () => {
    const room = freshRoom();
    const a = await client();
    const answer = await a.join('  ada\t', ` ${room} `);
    assert.equal(answer.nick, 'ada');
    assert.equal(answer.room, room);
  });

  for (const [nick, code] of [
    ['', 'nick-empty'],
    [' \t ', 'nick-empty'],
    ['x'.repeat(25), 'nick-too-long'],
    ['a\u0000b', 'nick-invalid'],
    ['a\nb', 'nick-invalid'],
    ['evil\u202Egnp', 'nick-invalid'],
    ['a\u0085b', 'nick-invalid'],
  ]) {
    test(`refuses nickname ${JSON.stringify(nick)} with ${code}`, async () => {
      const a = await client();
      const answer = await a.join(nick, freshRoom());
      assert.equal(answer.ok, false);
      assert.equal(answer.error, code);
      assert.equal(typeof answer.message, 'string');
      assert.ok(answer.message.length > 0);
    });
  }

  test('counts code points, not UTF-16 units or bytes: 24 emoji are a valid nickname', async () => {
    const a = await client();
    const nick = '😀'.repeat(24);
    assert.equal((await a.join(nick, freshRoom())).ok, true);
    const b = await client();
    assert.equal((await b.join('😀'.repeat(25), freshRoom())).error, 'nick-too-long');
  });

  for (const [room, code] of [['', 'room-empty'], ['r'.repeat(33), 'room-too-long'], ['a\u2066b', 'room-invalid']]) {
    test(`refuses room ${JSON.stringify(room)} with ${code}`, async () => {
      const a = await client();
      assert.equal((await a.join('ada', room)).error, code);
    });
  }

  for (const payload of [42, 'ada', null, [], { nick: 5, room: 'x' }, { nick: 'ada' }, { nick: 'ada', room: ['x'] }, { nick: 'a', room: 'b', clientId: 7 }]) {
    test(`answers bad-request to join ${JSON.stringify(payload)}`, async () => {
      const a = await client();
      assert.equal((await a.request('join', payload)).error, 'bad-request');
      // The socket is still usable.
      assert.equal((await a.join('ada', freshRoom())).ok, true);
    });
  }

  test('a nickname is unique in a room, case-insensitively, and free in another room', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('Alice', room);
    const b = await client();
    for (const nick of ['Alice', 'alice', 'ALICE', ' alice ']) {
      const answer = await b.join(nick, room);
      assert.equal(answer.error, 'nick-taken', nick);
    }
    assert.equal((await b.join('alice', freshRoom())).ok, true);
  });

  test('a refused join keeps the socket in its room with its nickname', async () => {
    const home = freshRoom('home');
    const away = freshRoom('away');
    const a = await client();
    await a.joined('ann', home);
    const b = await client();
    await b.joined('bea', home);
    const c = await client();
    await c.joined('bea', away);
    // c cannot move to `home`, where "bea" is taken; c stays in `away`.
    assert.equal((await c.join('bea', home)).error, 'nick-taken');
    const d = await client();
    await d.joined('dan', away);
    assert.equal((await c.say('still here')).ok, true);
    const got = await nextMatching(d.messages, (m) => m.text === 'still here');
    assert.equal(got.room, away);
    assert.equal(got.from, 'bea');
  });

  test('switching rooms leaves the old room: presence and member counts follow', async () => {
    const one = freshRoom('one');
    const two = freshRoom('two');
    const watcher = await client();
    await watcher.joined('watcher', one);
    const mover = await client();
    await mover.joined('mover', one);
    await nextMatching(watcher.presence, (p) => p.joined === 'mover');
    const answer = await mover.joined('mover', two);
    assert.deepEqual(answer.members, ['mover']);
    const left = await nextMatching(watcher.presence, (p) => p.left === 'mover');
    assert.deepEqual(left, { room: one, members: ['watcher'], left: 'mover' });
    const rooms = await nextMatching(watcher.rooms, (list) => list.some((r) => r.name === two && r.members === 1));
    assert.equal(rooms.find((r) => r.name === one).members, 1);
    // Sorted by name, "general" always there.
    const names = rooms.map((r) => r.name);
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.includes('general'));
  });

  test('the same tab (clientId) takes its nickname back from its stale connection', async () => {
    const room = freshRoom();
    const old = await client({ clientId: 'tab-1' });
    await old.joined('tim', room);
    const fresh = await client({ clientId: 'tab-1' });
    assert.equal((await fresh.join('tim', room)).ok, true);
    await old.waitDisconnect();
    const other = await client({ clientId: 'tab-2' });
    assert.equal((await other.join('tim', room)).error, 'nick-taken');
  });

  test('the rooms request lists rooms with member counts', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    const answer = await a.request('rooms');
    assert.equal(answer.ok, true);
    assert.deepEqual(answer.rooms.find((r) => r.name === room), { name: room, members: 1 });
  });
});

describe('messages', () => {
  test('reach the others in the room with id, author and time; the sender gets an ack, no echo', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    const b = await client();
    await b.joined('bob', room);
    const outsider = await client();
    await outsider.joined('out', freshRoom());
    const before = Date.now();
    const ack = await a.say('hello', 'c1');
    assert.equal(ack.ok, true);
    assert.equal(typeof ack.id, 'string');
    assert.ok(ack.time >= before - 60000 && ack.time <= Date.now() + 60000);
    const got = await b.messages.next();
    assert.deepEqual(got, { id: ack.id, room, from: 'ada', time: ack.time, kind: 'text', text: 'hello' });
    // Ordering on one connection makes these checks exact: if the sender or the
    // outsider had got the first message, it would come before the second.
    await b.say('second');
    assert.equal((await nextMatching(a.messages, () => true)).text, 'second');
    await outsider.say('elsewhere');
    assert.equal(outsider.messages.items.length, 0);
  });

  test('text limits: empty and over 2000 code points refused, 2000 accepted', async () => {
    const a = await client();
    await a.joined('ada', freshRoom());
    assert.equal((await a.say('')).error, 'text-empty');
    assert.equal((await a.say(' \n\t ')).error, 'text-empty');
    assert.equal((await a.say('x'.repeat(2001))).error, 'too-long');
    assert.equal((await a.say('😀'.repeat(2001))).error, 'too-long');
    assert.equal((await a.say('😀'.repeat(2000))).ok, true);
  });

  for (const payload of [null, 7, 'hi', { text: 5 }, { text: ['hi'] }, { text: 'hi', cid: 5 }, { text: 'hi', cid: '' }, { text: 'hi', cid: 'c'.repeat(65) }]) {
    test(`answers bad-request to message ${JSON.stringify(payload)}`, async () => {
      const a = await client();
      await a.joined('ada', freshRoom());
      assert.equal((await a.request('message', payload)).error, 'bad-request');
    });
  }

  test('binary where text belongs is a bad request', async () => {
    const a = await client();
    await a.joined('ada', freshRoom());
    assert.equal((await a.request('message', { text: Buffer.from('hi') })).error, 'bad-request');
  });

  test('before joining: not-joined', async () => {
    const a = await client();
    assert.equal((await a.say('hi')).error, 'not-joined');
    assert.equal((await a.request('dm', { to: 'x', text: 'hi' })).error, 'not-joined');
    assert.equal((await a.request('upload', { name: 'a', type: 'text/plain', data: Buffer.from('x') })).error, 'not-joined');
    assert.equal((await a.request('history-since', { room: 'general', since: null })).error, 'not-joined');
  });

  test('a re-sent message (same clientId and cid) is acknowledged again but delivered once', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    const b = await client();
    await b.joined('bob', room);
    const first = await a.say('once', 'same-cid');
    const again = await a.say('once', 'same-cid');
    assert.deepEqual(again, first);
    await a.say('marker', 'other-cid');
    const seen = await b.messages.take(2);
    assert.deepEqual(seen.map((m) => m.text), ['once', 'marker']);
    // The history holds it once too.
    const c = await client();
    const joined = await c.joined('cat', room);
    assert.deepEqual(joined.history.map((m) => m.text), ['once', 'marker']);
  });

  test('typing is forwarded to the others in the room', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    const b = await client();
    await b.joined('bob', room);
    a.socket.emit('typing');
    assert.deepEqual(await b.typing.next(), { room, nick: 'ada' });
  });
});

describe('history', () => {
  test(`keeps the last ${HISTORY} messages, oldest first, and shows them on joining`, async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    const ids = [];
    for (let i = 1; i <= HISTORY + 3; i++) ids.push((await a.say(`m${i}`)).id);
    const b = await client();
    const answer = await b.joined('bob', room);
    assert.deepEqual(answer.history.map((m) => m.text), ['m4', 'm5', 'm6', 'm7', 'm8']);
    assert.deepEqual(answer.history.map((m) => m.id), ids.slice(3));
    assert.ok(answer.history.every((m) => m.from === 'ada' && m.room === room && m.kind === 'text'));
  });

  test('history-since gives what came after an id; an unknown id resets to the whole history', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    const ids = [];
    for (let i = 1; i <= 4; i++) ids.push((await a.say(`h${i}`)).id);
    const since = await a.request('history-since', { room, since: ids[1] });
    assert.equal(since.ok, true);
    assert.equal(since.reset, false);
    assert.deepEqual(since.messages.map((m) => m.text), ['h3', 'h4']);
    const latest = await a.request('history-since', { room, since: ids[3] });
    assert.deepEqual(latest.messages, []);
    for (const unknown of ['no-such-id', null]) {
      const reset = await a.request('history-since', { room, since: unknown });
      assert.equal(reset.reset, true);
      assert.deepEqual(reset.messages.map((m) => m.text), ['h1', 'h2', 'h3', 'h4']);
    }
    assert.equal((await a.request('history-since', { room: 'general', since: ids[0] })).error, 'not-joined');
    assert.equal((await a.request('history-since', { room: 5 })).error, 'bad-request');
  });

  test('a resuming join answers without history', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    await a.say('x');
    const b = await client();
    const answer = await b.join('bob', room, { resume: true });
    assert.equal(answer.ok, true);
    assert.deepEqual(answer.history, []);
  });
});

describe('direct messages', () => {
  test('go to the named member of the room only', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    const b = await client();
    await b.joined('Bob', room);
    const c = await client();
    await c.joined('cat', room);
    const ack = await a.request('dm', { to: 'bob', text: 'psst', cid: 'd1' }); // nicknames match case-insensitively
    assert.equal(ack.ok, true);
    assert.deepEqual(await b.dms.next(), { id: ack.id, from: 'ada', to: 'Bob', time: ack.time, text: 'psst' });
    await a.say('public');
    await nextMatching(c.messages, (m) => m.text === 'public');
    assert.equal(c.dms.items.length, 0);
    // Re-sent: acknowledged again, delivered once.
    assert.deepEqual(await a.request('dm', { to: 'bob', text: 'psst', cid: 'd1' }), ack);
    await a.request('dm', { to: 'bob', text: 'second', cid: 'd2' });
    assert.equal((await b.dms.next()).text, 'second');
  });

  test('refusals: nobody by that name, yourself, someone in another room, bad payloads', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    const elsewhere = await client();
    await elsewhere.joined('eve', freshRoom());
    assert.equal((await a.request('dm', { to: 'nobody', text: 'hi' })).error, 'no-such-user');
    assert.equal((await a.request('dm', { to: 'eve', text: 'hi' })).error, 'no-such-user');
    assert.equal((await a.request('dm', { to: 'ADA', text: 'hi' })).error, 'self');
    assert.equal((await a.request('dm', { to: 'ada' })).error, 'bad-request');
    assert.equal((await a.request('dm', { to: 5, text: 'hi' })).error, 'bad-request');
    assert.equal((await a.request('dm', ['ada', 'hi'])).error, 'bad-request');
  });
});

describe('uploads', () => {
  test('a file up to the limit reaches the room as binary and stays in history', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    const b = await client();
    await b.joined('bob', room);
    const data = Buffer.alloc(MAX_UPLOAD);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    const ack = await a.request('upload', { name: ' pic.png ', type: 'image/PNG', data, cid: 'u1' });
    assert.equal(ack.ok, true);
    const got = await b.messages.next();
    assert.equal(got.kind, 'file');
    assert.equal(got.id, ack.id);
    assert.equal(got.from, 'ada');
    assert.deepEqual({ ...got.file, data: undefined }, { name: 'pic.png', type: 'image/png', size: MAX_UPLOAD, data: undefined });
    assert.ok(Buffer.isBuffer(got.file.data));
    assert.ok(got.file.data.equals(data));
    const c = await client();
    const joined = await c.joined('cat', room);
    assert.ok(joined.history[0].file.data.equals(data));
  });

  test('a file over the limit is refused with too-large, and the socket stays', async () => {
    const a = await client();
    await a.joined('ada', freshRoom());
    const answer = await a.request('upload', { name: 'big.bin', type: 'application/octet-stream', data: Buffer.alloc(MAX_UPLOAD + 1) });
    assert.equal(answer.ok, false);
    assert.equal(answer.error, 'too-large');
    assert.match(answer.message, /limit/);
    assert.equal((await a.say('still connected')).ok, true);
  });

  test('a file over the limit sent over long-polling (base64) is refused the same way', async () => {
    const a = await client({ transports: ['polling'] });
    await a.joined('ada', freshRoom());
    const answer = await a.request('upload', { name: 'big.bin', type: 'x/y', data: Buffer.alloc(MAX_UPLOAD + 1) });
    assert.equal(answer.error, 'too-large');
  });

  test('a MIME type that is not x/y becomes application/octet-stream', async () => {
    const room = freshRoom();
    const a = await client();
    await a.joined('ada', room);
    const b = await client();
    await b.joined('bob', room);
    await a.request('upload', { name: 'a', type: 'text/html; <script>', data: Buffer.from('x') });
    assert.equal((await b.messages.next()).file.type, 'application/octet-stream');
  });

  for (const payload of [{ name: 'a', type: 'text/plain', data: 'not binary' }, { type: 'text/plain', data: Buffer.from('x') },
    { name: '', type: 'text/plain', data: Buffer.from('x') }, { name: 'n'.repeat(201), type: 'text/plain', data: Buffer.from('x') },
    { name: 'a', type: 5, data: Buffer.from('x') }]) {
    test(`answers bad-request to upload ${JSON.stringify({ ...payload, data: typeof payload.data })}`, async () => {
      const a = await client();
      await a.joined('ada', freshRoom());
      assert.equal((await a.request('upload', payload)).error, 'bad-request');
    });
  }
});
