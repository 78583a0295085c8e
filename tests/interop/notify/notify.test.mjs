// sio-notify over the official socket.io-client: token sign-in, one room per
// user, POST /notify reaching every tab of a user and no one else, read
// receipts (acks) keeping the unread count right in every tab, and bad input
// refused with the right status without harming anyone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { programCommand } from '../lib/server.mjs';
import { withTimeout } from '../lib/wait.mjs';
import { connect, login, post, SECRET, startNotify } from './lib/notify.mjs';

const MAX_REQUEST = 4096;
let server;
let url;

before(async () => {
  server = await startNotify({ extra: ['--max-request', String(MAX_REQUEST), '--keep', '5'] });
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const notify = (body, opts) => post(url, '/notify', body, opts);

test('sign-in: a bad, tampered, expired-format or missing token is refused; a good one joins', async () => {
  const token = await login(url, 'alice');
  const [name, expires, mac] = token.split('.');
  assert.equal(name, 'alice');
  const bad = [
    undefined,
    'garbage',
    `bob.${expires}.${mac}`, // another name under alice's MAC
    `alice.${Number(expires) + 1}.${mac}`, // a later expiry under the old MAC
    `alice.1.${mac}`, // long expired (and a wrong MAC)
    `${token}x`,
    42,
  ];
  for (const t of bad) {
    await assert.rejects(connect(url, t), (err) => {
      assert.equal(err.message, 'invalid token');
      assert.deepEqual(err.data, { code: 'bad-token' });
      return true;
    }, `token ${t}`);
  }
  const tab = await connect(url, token);
  assert.equal(tab.inbox.user, 'alice');
  assert.deepEqual(tab.inbox.items, []);
  tab.close();

  // /login checks the name.
  for (const name of ['', 'a b', 'x'.repeat(33), '<b>', 7]) {
    const r = await post(url, '/login', { name }, { secret: null });
    assert.equal(r.status, 400, JSON.stringify(name));
    assert.equal(r.json.error, 'bad-name');
  }
});

test('three tabs of one user each get a POST /notify; other users do not; read receipts update every tab', async () => {
  const carol = await login(url, 'carol');
  const tabs = await Promise.all([connect(url, carol), connect(url, carol, { transports: ['polling'] }), connect(url, carol)]);
  const dave = await connect(url, await login(url, 'dave'));

  const r = await notify({ to: 'carol', title: 'Build finished', body: 'main is green' });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.users, 1);
  const id = r.json.id;
  for (const t of tabs) {
    const n = await t.until((name, p) => name === 'notification' && p.id === id, 'carol\'s notification');
    assert.equal(n.title, 'Build finished');
    assert.equal(n.body, 'main is green');
    assert.equal(n.read, false);
    assert.equal(n.unread, 1);
  }
  // dave's next notification is the first he gets: carol's never reached him.
  const forDave = await notify({ to: ['dave'], title: 'for dave' });
  const first = await dave.until((name) => name === 'notification', 'dave\'s notification');
  assert.equal(first.id, forDave.json.id);
  assert.equal(dave.notifications().length, 1);

  // A read receipt from one tab: acked to it, and every tab hears the count.
  const ack = await tabs[0].ask('read', id);
  assert.deepEqual(ack, { ok: true, unread: 0 });
  for (const t of tabs) {
    const u = await t.until((name, p) => name === 'unread', 'the unread count');
    assert.deepEqual(u, { unread: 0, read: [id] });
  }
  // dave cannot read carol's notification; nothing changes for carol.
  assert.equal((await dave.ask('read', id)).error, 'unknown-id');
  // Bad ids are answered, not fatal.
  for (const bad of ['1', -3, 1.5, null, { id }, 2 ** 60]) {
    const a = await tabs[1].ask('read', bad);
    assert.ok(a.error === 'bad-id' || a.error === 'unknown-id', JSON.stringify([bad, a]));
  }
  // Reading it again is fine and announces nothing new.
  assert.deepEqual(await tabs[2].ask('read', id), { ok: true, unread: 0 });

  // A new tab gets the state so far.
  const late = await connect(url, carol);
  assert.equal(late.inbox.unread, 0);
  assert.deepEqual(late.inbox.items.map((n) => [n.id, n.read]), [[id, true]]);

  // read-all from one tab reaches all of them.
  const two = [await notify({ to: 'carol', title: 'a' }), await notify({ to: 'carol', title: 'b' })].map((x) => x.json.id);
  await late.until((name, p) => name === 'notification' && p.id === two[1] && p.unread === 2, 'two unread');
  assert.deepEqual(await late.ask('read-all'), { ok: true, unread: 0 });
  for (const t of [...tabs, late]) {
    await t.until((name, p) => name === 'unread' && p.unread === 0 && p.read.length === 2, 'read-all');
  }
  for (const t of [...tabs, late, dave]) t.close();
});

test('a list, duplicates and "*": each user once; the inbox keeps the last --keep', async () => {
  const erin = await connect(url, await login(url, 'erin'));
  const frank = await connect(url, await login(url, 'frank'));
  const r = await notify({ to: ['erin', 'frank', 'erin', 'nobody-yet'], title: 'team' });
  assert.equal(r.status, 202);
  assert.equal(r.json.users, 3); // stored for nobody-yet too, for when they sign in
  for (const t of [erin, frank]) await t.until((n, p) => n === 'notification' && p.id === r.json.id, 'team');
  const all = await notify({ to: '*', title: 'maintenance at noon' });
  for (const t of [erin, frank]) await t.until((n, p) => n === 'notification' && p.id === all.json.id, '*');
  assert.equal(erin.notifications().filter((p) => p.id === r.json.id).length, 1);

  for (let i = 0; i < 7; i++) await notify({ to: 'erin', title: `n${i}` });
  const again = await connect(url, await login(url, 'erin'));
  assert.deepEqual(again.inbox.items.map((n) => n.title), ['n2', 'n3', 'n4', 'n5', 'n6']);
  assert.equal(again.inbox.unread, 5);
  assert.equal(again.inbox.keep, 5);
  for (const t of [erin, frank, again]) t.close();
});

test('bad POSTs are refused with the right status and a JSON reason, and harm no one', async () => {
  const gina = await connect(url, await login(url, 'gina'));
  const good = { to: 'gina', title: 'ok' };
  const cases = [
    [{ secret: null }, good, 401, 'unauthorized'],
    [{ secret: 'wrong-secret-0123456789' }, good, 401, 'unauthorized'],
    [{ secret: SECRET.slice(0, -1) }, good, 401, 'unauthorized'],
    [{ method: 'GET' }, undefined, 405, 'method-not-allowed'],
    [{ type: 'text/plain' }, good, 415, 'not-json'],
    [{}, '{"to": "gina", "title": ', 400, 'bad-json'],
    [{}, '[1,2]', 400, 'bad-body'],
    [{}, { title: 'no one' }, 400, 'bad-to'],
    [{}, { to: 'gi na', title: 'x' }, 400, 'bad-to'],
    [{}, { to: [], title: 'x' }, 400, 'bad-to'],
    [{}, { to: ['gina', 3], title: 'x' }, 400, 'bad-to'],
    [{}, { to: Array.from({ length: 101 }, (_, i) => `u${i}`), title: 'x' }, 400, 'too-many-recipients'],
    [{}, { to: 'gina' }, 400, 'bad-title'],
    [{}, { to: 'gina', title: 'x'.repeat(121) }, 400, 'bad-title'],
    [{}, { to: 'gina', title: 'x', body: 5 }, 400, 'bad-body'],
    [{}, { to: 'gina', title: 'x', body: 'y'.repeat(1001) }, 400, 'bad-body'],
    [{}, { to: 'gina', title: 'x', body: 'z'.repeat(MAX_REQUEST) }, 413, 'too-large'],
  ];
  for (const [opts, body, status, error] of cases) {
    const r = await notify(body, opts);
    assert.equal(r.status, status, `${JSON.stringify(opts)} ${String(JSON.stringify(body)).slice(0, 60)}: ${r.text}`);
    assert.equal(r.json?.error, error, r.text);
    assert.equal(typeof r.json.message, 'string');
    if (status === 401) assert.equal(r.headers.get('www-authenticate'), 'Bearer');
  }
  // None of that reached gina: her first notification is the good one.
  const ok = await notify(good);
  assert.equal(ok.status, 202);
  const first = await gina.until((n) => n === 'notification', 'the good one');
  assert.equal(first.id, ok.json.id);
  // Text is stored as sent (the page shows it as text, never as HTML).
  const html = await notify({ to: 'gina', title: '<img src=x onerror=alert(1)>', body: '"&<>' });
  const n = await gina.until((name, p) => name === 'notification' && p.id === html.json.id, 'the html one');
  assert.equal(n.title, '<img src=x onerror=alert(1)>');
  gina.close();
});

test('a tab that drops and comes back gets what was sent meanwhile in its inbox, with the right count', async () => {
  const token = await login(url, 'jack');
  const tab = await connect(url, token, { reconnection: true });
  const before = await notify({ to: 'jack', title: 'before the drop' });
  await tab.until((n, p) => n === 'notification' && p.id === before.json.id, 'the first one');
  const dropped = new Promise((resolve) => tab.socket.once('disconnect', resolve));
  tab.socket.io.engine.transport.ws.close(); // the connection drops; the client reconnects on its own
  assert.equal(await withTimeout(dropped, 5000, 'the drop'), 'transport close');
  const during = await notify({ to: 'jack', title: 'during the drop' });
  const box = await tab.until((n, p) => n === 'inbox' && p.items.some((x) => x.id === during.json.id), 'the inbox again');
  assert.deepEqual(box.items.map((x) => x.title), ['before the drop', 'during the drop']);
  assert.equal(box.unread, 2);
  tab.close();
});

test('a flooding tab is refused, then disconnected; other tabs and users go on', async () => {
  const token = await login(url, 'hank');
  const flooder = await connect(url, token);
  const calm = await connect(url, token);
  const ivy = await connect(url, await login(url, 'ivy'));
  const answers = [];
  const gone = new Promise((resolve) => flooder.socket.once('disconnect', resolve));
  for (let i = 0; i < 300; i++) flooder.socket.emit('read', 12345, (a) => answers.push(a.error));
  assert.equal(await withTimeout(gone, 10000, 'the flooder\'s disconnect'), 'io server disconnect');
  assert.ok(answers.includes('unknown-id'), 'the first ones were handled');
  assert.ok(answers.includes('rate-limited'), 'then refused');
  assert.ok(answers.length < 300, 'and the rest never handled');
  // hank's other tab and ivy still work.
  const r = await notify({ to: ['hank', 'ivy'], title: 'still here' });
  for (const t of [calm, ivy]) await t.until((n, p) => n === 'notification' && p.id === r.json.id, 'after the flood');
  assert.deepEqual(await calm.ask('read', r.json.id), { ok: true, unread: 0 });
  for (const t of [calm, ivy]) t.close();
});

test('the page and the client bundle are served; other paths are 404', async () => {
  const page = await fetch(new URL('/', url));
  assert.equal(page.status, 200);
  assert.match(await page.text(), /sio-notify/);
  assert.match(page.headers.get('content-security-policy'), /default-src 'self'/);
  assert.equal((await fetch(new URL('/socket.io-client.js', url))).status, 200);
  assert.equal((await fetch(new URL('/notify.js', url))).status, 200);
  assert.equal((await fetch(new URL('/../secret', url))).status, 404);
});

test('--help states the limits; a short --secret is refused', () => {
  const [exe] = programCommand('sio-notify');
  const help = spawnSync(exe, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  for (const s of ['--port', '--host', '--secret', '--redis', '--keep', '--max-users', '--max-request', 'SIO_NOTIFY_SECRET',
    '120 bytes', '1000', '100 names', 'send']) {
    assert.ok(help.stdout.includes(s), `--help mentions ${s}`);
  }
  const short = spawnSync(exe, ['--port', '0', '--secret', 'short'], { encoding: 'utf8' });
  assert.equal(short.status, 2);
  assert.match(short.stderr, /at least 16/);
});
