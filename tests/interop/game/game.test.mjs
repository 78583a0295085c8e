// sio-game end to end with the official socket.io-client in Node: the lobby,
// inputs moving players as the snapshots show, late joiners, drops and returns,
// bad input and floods, and the C++ bots (sio-game-bots). Every wait is on a
// state (a snapshot or an answer), bounded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { GamePlayer, playerIn } from './lib/game-client.mjs';
import { startBots, startGame } from './lib/game-server.mjs';
import { programCommand } from '../lib/server.mjs';

let server;
const players = [];

before(async () => {
  server = await startGame();
});

after(async () => {
  for (const p of players) p.close();
  await server?.stop();
});

async function player(url = server.url) {
  const p = await GamePlayer.connect(url);
  players.push(p);
  return p;
}

async function room(p, name) {
  const created = await p.request('create', { room: name });
  assert.equal(created.ok, true, JSON.stringify(created));
}

// A direction along x that has room to run (players spawn anywhere).
const awayFromWall = (x) => (x < 480 ? 1 : -1);

test('the page, its script and the client bundle are served; --help and a bad --tick-rate', async () => {
  const page = await fetch(new URL('/', server.url));
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  assert.match(await page.text(), /<canvas id="arena"/);
  for (const file of ['/game.js', '/game.css', '/socket.io-client.js']) {
    assert.equal((await fetch(new URL(file, server.url))).status, 200, file);
  }
  assert.equal((await fetch(new URL('/.hidden', server.url))).status, 404);

  const [exe] = programCommand('sio-game');
  const help = spawnSync(exe, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  for (const flag of ['--port', '--host', '--tick-rate', '--grace']) assert.ok(help.stdout.includes(flag), flag);
  const bad = spawnSync(exe, ['--port', '0', '--tick-rate', '61'], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /tick-rate/);
});

test('lobby: the start room is listed, rooms are made once, unknown or bad names are refused', async () => {
  const a = await player();
  const list = await a.request('list', {});
  assert.equal(list.ok, true);
  assert.ok(list.rooms.some((r) => r.name === 'arena'), JSON.stringify(list));

  await room(a, 'lobby-test');
  assert.equal((await a.request('create', { room: 'lobby-test' })).error, 'room-exists');
  assert.equal((await a.request('create', { room: 'no spaces' })).error, 'room-invalid');
  assert.equal((await a.request('create', {})).error, 'room-empty');
  assert.equal((await a.request('join', { room: 'nope', name: 'ann' })).error, 'no-such-room');
  assert.equal((await a.request('join', { room: 'lobby-test', name: '' })).error, 'name-empty');
  assert.equal((await a.request('join', { room: 'lobby-test', name: '<script>' })).error, 'name-invalid');
  assert.equal((await a.request('leave', {})).error, 'not-joined');
  const after = await a.request('list', {});
  assert.ok(after.rooms.some((r) => r.name === 'lobby-test' && r.players === 0));
});

test('inputs move the player as the snapshots show; a stop input stops it', async () => {
  const a = await player();
  await room(a, 'move');
  const joined = await a.joined('move', 'ann');
  assert.equal(joined.tickRate, 30);
  const start = playerIn(joined.state, a.you);
  assert.equal(start.name, 'ann');

  const dir = awayFromWall(start.x);
  const seq = a.move(dir, 0);
  const moved = await a.waitState((s) => {
    const me = playerIn(s, a.you);
    return me.seq === seq && (me.x - start.x) * dir > 30;
  }, 'a snapshot with ann moved along x');
  assert.equal(playerIn(moved, a.you).y, start.y, 'only x changes');

  const stop = a.move(0, 0);
  const stopped = await a.waitState((s) => playerIn(s, a.you).seq === stop, 'the stop input applied');
  const x = playerIn(stopped, a.you).x;
  const later = await a.waitState((s) => s.tick >= stopped.tick + 5, 'five more ticks');
  assert.equal(playerIn(later, a.you).x, x);

  // A stale sequence number is ignored (acknowledged as not applied).
  assert.deepEqual(await a.request('input', { seq: stop, dx: dir, dy: 0 }), { ok: false });
});

test('a late joiner gets the current state at once, and both see each other', async () => {
  const a = await player();
  await room(a, 'late');
  const ja = await a.joined('late', 'ann');
  const dir = awayFromWall(playerIn(ja.state, a.you).x);
  a.move(dir, 0);
  const moved = await a.waitState((s) => Math.abs(playerIn(s, a.you).x - playerIn(ja.state, a.you).x) > 40);
  const stop = a.move(0, 0);
  const still = await a.waitState((s) => playerIn(s, a.you).seq === stop);

  const b = await player();
  const jb = await b.joined('late', 'bob');
  const annSeenByBob = playerIn(jb.state, a.you);
  assert.ok(annSeenByBob, 'the join answer holds the players already there');
  assert.equal(annSeenByBob.x, playerIn(still, a.you).x, 'where ann is now, not where she started');
  assert.ok(jb.state.tick >= moved.tick);
  await a.waitState((s) => playerIn(s, b.you)?.name === 'bob', 'ann sees bob');
  await b.waitState((s) => playerIn(s, a.you)?.name === 'ann', 'bob sees ann');
  const list = await b.request('list', {});
  assert.ok(list.rooms.some((r) => r.name === 'late' && r.players === 2));
});

test('a dropped player stays (faded) and a returning page gets it back with its token; leave removes it', async () => {
  const a = await player();
  await room(a, 'drop');
  const ja = await a.joined('drop', 'ann');
  const b = await player();
  await b.joined('drop', 'bob');
  const dir = awayFromWall(playerIn(ja.state, a.you).x);
  a.move(dir, 0);
  await a.waitState((s) => Math.abs(playerIn(s, a.you).x - playerIn(ja.state, a.you).x) > 40);
  const stop = a.move(0, 0);
  const before = playerIn(await a.waitState((s) => playerIn(s, a.you).seq === stop), a.you);

  a.close(); // the page goes away without leaving
  const faded = await b.waitState((s) => playerIn(s, a.you)?.on === false, 'ann shown as dropped');
  assert.equal(playerIn(faded, a.you).x, before.x);

  const a2 = await player();
  const back = await a2.joined('drop', 'ann', a.token);
  assert.equal(back.resumed, true);
  assert.equal(back.you, a.you, 'the same player');
  assert.equal(playerIn(back.state, a.you).x, before.x, 'where it was');
  assert.equal(playerIn(back.state, a.you).score, before.score);
  await b.waitState((s) => playerIn(s, a.you)?.on === true, 'ann back');
  a2.seq = playerIn(back.state, a.you).seq; // goes on numbering after the last applied input
  a2.move(dir, 0);
  await b.waitState((s) => Math.abs(playerIn(s, a.you).x - before.x) > 20, 'ann moving again');

  assert.equal((await a2.request('leave', {})).ok, true);
  await b.waitState((s) => !playerIn(s, a.you), 'ann gone after leaving');
});

test('a returning page whose old connection is still open takes the player over; the old one is told', async () => {
  const a = await player();
  await room(a, 'takeover');
  await a.joined('takeover', 'ann');
  const a2 = await player(); // the same page, reconnected before the server saw the old connection drop
  const back = await a2.joined('takeover', 'ann', a.token);
  assert.equal(back.resumed, true);
  assert.equal(back.you, a.you);
  assert.equal((await a.waitError('replaced')).ok, false);
  assert.equal((await a.request('input', { seq: 1, dx: 1, dy: 0 })).error, 'not-joined');
  assert.equal(back.state.players.length, 1, 'still one player');
  // Joining again with its own token on the same socket changes nothing.
  const again = await a2.joined('takeover', 'ann', a.token);
  assert.equal(again.you, a.you);
  assert.equal(again.state.players.length, 1);
});

test('a player dropped longer than the grace period is gone, and its token no longer returns it', async () => {
  const quick = await startGame({ extra: ['--grace', '1'] });
  try {
    const a = await player(quick.url);
    const b = await player(quick.url);
    await room(a, 'grace');
    await a.joined('grace', 'ann');
    await b.joined('grace', 'bob');
    a.close();
    await b.waitState((s) => playerIn(s, a.you)?.on === false, 'ann dropped');
    await b.waitState((s) => !playerIn(s, a.you), 'ann removed after the grace period');
    const a2 = await player(quick.url);
    const again = await a2.joined('grace', 'ann', a.token);
    assert.equal(again.resumed, false);
    assert.notEqual(again.you, a.you);
  } finally {
    await quick.stop();
  }
});

test('bad input gets a clear error and harms no one; floods are refused, then disconnected', async () => {
  const calm = await player();
  await room(calm, 'bad');
  const jc = await calm.joined('bad', 'calm');
  const bad = await player();

  assert.deepEqual(await bad.request('input', { seq: 1, dx: 1, dy: 0 }),
    { ok: false, error: 'not-joined', message: 'Join a room first.' });
  await bad.joined('bad', 'mallory');
  for (const payload of ['up', null, 42, [1, 0], { seq: 1 }, { seq: 0, dx: 1, dy: 0 }, { seq: 1, dx: 9, dy: 0 },
    { seq: 1.5, dx: 1, dy: 0 }, { seq: 1, dx: '1', dy: 0 }, { seq: 2 ** 40, dx: 1, dy: 0 }]) {
    const answer = await bad.request('input', payload);
    assert.equal(answer.error, 'bad-input', JSON.stringify(payload));
    assert.match(answer.message, /seq/);
  }
  bad.socket.emit('input', 'no ack here');
  await bad.waitError('bad-input');
  assert.equal((await bad.request('teleport', { x: 1 })).error, 'unknown-event');
  assert.equal((await bad.request('list', {})).ok, true, 'still served');

  // A burst above the input rate: the rest are refused, with one notice.
  for (let i = 0; i < 60; i += 1) bad.move(1, 0);
  await bad.waitError('rate-limited');
  // One notice per run of refusals, not one per refused input (a token earned
  // mid-burst may start a second run on a slow machine).
  assert.ok(bad.errors.filter((e) => e.error === 'rate-limited').length < 5);

  // The calm player keeps playing meanwhile.
  const dir = awayFromWall(playerIn(jc.state, calm.you).x);
  calm.move(dir, 0);
  await calm.waitState((s) => Math.abs(playerIn(s, calm.you).x - playerIn(jc.state, calm.you).x) > 30,
    'calm still moves');

  // A flood goes on: the server lets that socket go.
  for (let i = 0; i < 1000; i += 1) bad.move(1, 0);
  assert.equal(await bad.disconnected, 'io server disconnect');
  const seq = calm.move(0, 0);
  await calm.waitState((s) => playerIn(s, calm.you).seq === seq, 'calm still served');
});

test('C++ bots (sio-game-bots) fill a room and play', async () => {
  const watcher = await player();
  await room(watcher, 'bots'); // the bots find it there (room-exists) and join it
  const joined = await watcher.joined('bots', 'watcher');
  const bots = await startBots(server.url, ['--room', 'bots', '--count', '3']);
  try {
    const full = await watcher.waitState((s) => s.players.filter((p) => /^bot\d$/.test(p.name)).length === 3,
      'three bots in the room', 10000);
    const firstPositions = new Map(full.players.map((p) => [p.id, p.x + p.y * 1000]));
    await watcher.waitState((s) => s.players.some((p) => p.id !== watcher.you && p.x + p.y * 1000 !== firstPositions.get(p.id)),
      'a bot moving', 10000);
    assert.equal(joined.state.players.length, 1);
  } finally {
    await bots.stop();
  }
});
