// The chat page end to end in chromium: several users, each in their own browser
// context, against the chat server under test (see lib/chat-server.mjs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, Shots, User } from './lib/browser.mjs';
import { startChat } from './lib/chat-server.mjs';
import { makePng } from './lib/png.mjs';

const MAX_UPLOAD = 65536; // small, so the over-limit case stays cheap

let server;
let browser;
const users = [];

before(async () => {
  server = await startChat({ maxUpload: MAX_UPLOAD });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(name, opts) {
  const user = await User.open(browser, server.url, name, opts);
  users.push(user);
  return user;
}

async function closeAll() {
  for (const u of users.splice(0)) {
    assert.deepEqual(u.errors, [], `${u.name}'s page had script errors`);
    assert.deepEqual(u.dialogs, [], `${u.name}'s page opened dialogs`);
    await u.close();
  }
}

test('nicknames: empty, too long and taken are refused with a message, and nothing is lost', async () => {
  const shots = new Shots('nicknames');
  const alice = await open('alice');
  await shots.take(alice, 'login page');
  await alice.join('alice', 'nicks');

  const bob = await open('bob');
  await bob.tryJoin('   ', 'nicks');
  await bob.loginError('Please choose a nickname');
  await bob.tryJoin('x'.repeat(25), 'nicks');
  await bob.loginError('at most 24 characters');
  await bob.tryJoin('ALICE', 'nicks'); // same nickname, other case
  await bob.loginError('already taken in this room');
  await shots.take(bob, 'nickname taken');
  // Still connected, still on the login form, and a good nickname now works.
  await bob.waitConnected();
  assert.equal(await bob.page.isVisible('#login'), true);
  await bob.join('bob', 'nicks');
  await alice.seesMember('bob');
  await bob.seesMember('alice');
  await shots.take(alice, 'bob joined');
  await closeAll();
});

test('three users in a room: presence, messages with author and time, delivered mark, typing', async () => {
  const shots = new Shots('three-users');
  const alice = await open('alice');
  await alice.join('alice', 'team');
  const bob = await open('bob');
  await bob.join('bob', 'team');
  const carol = await open('carol');
  await carol.join('carol', 'team');

  for (const u of [alice, bob, carol]) {
    for (const nick of ['alice', 'bob', 'carol']) await u.seesMember(nick);
    await u.seesRoom('team', 3);
  }
  await shots.take(carol, 'three members');

  await alice.send('Hello team!');
  await alice.delivered('Hello team!');
  for (const u of [bob, carol]) {
    const msg = await u.sees('Hello team!', { from: 'alice' });
    assert.equal(await msg.locator('.author').textContent(), 'alice');
    assert.match(await msg.locator('time').textContent(), /\d{1,2}:\d{2}/);
    assert.ok(await msg.locator('time').getAttribute('datetime'));
  }
  await shots.take(alice, 'message delivered');

  await bob.type('I am writ');
  await alice.visible('#typing', { hasText: 'bob is typing…' });
  await carol.visible('#typing', { hasText: 'bob is typing…' });
  await shots.take(alice, 'bob is typing');
  await bob.send('I am writing back');
  await alice.sees('I am writing back', { from: 'bob' });
  // The message clears the typing line.
  await alice.visible('#typing[data-active="false"]', {}, 'attached');

  await carol.close();
  users.splice(users.indexOf(carol), 1);
  await alice.seesNoMember('carol');
  await alice.visible('#messages li.system', { hasText: 'carol left' });
  await alice.seesRoom('team', 2);
  await shots.take(alice, 'carol left');
  await closeAll();
});

test('a direct message reaches its recipient only', async () => {
  const shots = new Shots('direct-message');
  const alice = await open('alice');
  await alice.join('alice', 'dms');
  const bob = await open('bob');
  await bob.join('bob', 'dms');
  const carol = await open('carol');
  await carol.join('carol', 'dms');
  await alice.seesMember('bob');

  await alice.page.click('#members li[data-nick="bob"] button');
  await alice.visible('#dm-chip', { hasText: 'bob' });
  await alice.send('psst, just for you');
  await alice.delivered('psst, just for you');
  const dm = await bob.sees('psst, just for you', { from: 'alice' });
  assert.match(await dm.getAttribute('class'), /direct/);
  assert.equal(await dm.locator('.author').textContent(), 'alice → you');
  await shots.take(bob, 'direct message received');

  // Back to the room; carol gets the room message, and never got the private one.
  await alice.page.click('#dm-cancel');
  await alice.send('and hello everyone');
  await carol.sees('and hello everyone', { from: 'alice' });
  assert.equal(await carol.message('psst').count(), 0);
  await shots.take(alice, 'direct then room message');
  await closeAll();
});

test('an image is sent as a binary attachment and shown; a file over the limit is refused', async () => {
  const shots = new Shots('attachments');
  const alice = await open('alice');
  await alice.join('alice', 'files');
  const bob = await open('bob');
  await bob.join('bob', 'files');
  await alice.seesMember('bob');

  await bob.page.setInputFiles('#file', { name: 'pixel.png', mimeType: 'image/png', buffer: makePng(64, 48) });
  await bob.delivered('pixel.png');
  const img = alice.locator('#messages li.msg[data-from="bob"][data-kind="file"] img[alt="pixel.png"]');
  await img.waitFor({ state: 'visible' });
  await alice.until(() => document.querySelector('#messages img[alt="pixel.png"]')?.naturalWidth === 64);
  await shots.take(alice, 'image received');

  await bob.page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('plain notes\n') });
  await alice.visible('#messages a.download', { hasText: 'notes.txt' });

  const big = Buffer.alloc(MAX_UPLOAD + 1, 7);
  await bob.page.setInputFiles('#file', { name: 'big.bin', mimeType: 'application/octet-stream', buffer: big });
  await bob.notice('upload limit');
  await shots.take(bob, 'file too large');
  assert.equal(await bob.message('big.bin').count(), 0);
  await bob.send('after the big file');
  await alice.sees('after the big file');
  assert.equal(await alice.message('big.bin').count(), 0);
  await closeAll();
});

test('HTML in messages and nicknames is shown as text, never run', async () => {
  const shots = new Shots('xss');
  const alice = await open('alice');
  await alice.join('alice', 'xss');
  const eve = await open('eve');
  await eve.join('<b>eve</b>', 'xss');
  await alice.seesMember('<b>eve</b>');

  const payloads = ['<img src=x onerror="window.__xss=1">', '<script>window.__xss=2</script>', '<a href="javascript:window.__xss=3">click</a>'];
  for (const p of payloads) await eve.send(p);
  for (const p of payloads) {
    const msg = await alice.sees(p, { from: '<b>eve</b>' });
    assert.equal(await msg.locator('.body').textContent(), p);
  }
  assert.equal(await alice.locator('#messages img, #messages script, #messages .body a, #members b').count(), 0);
  assert.equal(await alice.page.evaluate(() => window.__xss), undefined);
  assert.equal(await alice.locator('#members li[data-nick="<b>eve</b>"] .member-name').textContent(), '<b>eve</b>');
  await shots.take(alice, 'html shown as text');
  await closeAll();
});

test('rooms: counts in the list, create, switch, history on joining, nickname taken in the other room', async () => {
  const shots = new Shots('rooms');
  const alice = await open('alice');
  await alice.join('alice', 'alpha');
  const bob = await open('bob');
  await bob.join('bob', 'alpha');
  await alice.send('history one');
  await alice.send('history two');
  await bob.sees('history two');

  const carol = await open('carol');
  // The login form lists the rooms with their member counts.
  await carol.visible('#login-rooms li[data-room="alpha"] .count', { hasText: '2' });
  await shots.take(carol, 'login with room list');
  await carol.join('carol', 'beta');
  await alice.seesRoom('beta', 1);
  await carol.page.click('#rooms li[data-room="alpha"] button');
  await carol.visible('#room-title', { hasText: '# alpha' });
  await carol.sees('history one', { from: 'alice' });
  await carol.sees('history two', { from: 'alice' });
  await alice.seesRoom('alpha', 3);
  await alice.seesRoom('beta', 0);
  await shots.take(carol, 'switched with history');

  await bob.page.fill('#new-room', 'gamma');
  await bob.page.press('#new-room', 'Enter');
  await bob.visible('#room-title', { hasText: '# gamma' });
  await alice.seesRoom('gamma', 1);
  await alice.seesRoom('alpha', 2);
  await alice.seesNoMember('bob');

  // Nicknames are unique per room: another "alice" in gamma cannot move to alpha.
  const alice2 = await open('alice2');
  await alice2.join('alice', 'gamma');
  await alice2.page.click('#rooms li[data-room="alpha"] button');
  await alice2.notice('already taken in this room');
  await alice2.visible('#room-title', { hasText: '# gamma' });
  await alice2.waitConnected();
  await alice2.send('still in gamma');
  await bob.sees('still in gamma');
  await shots.take(alice2, 'switch refused');
  await closeAll();
});
