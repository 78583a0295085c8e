// sio-game's page in chromium (the chat's helper: Debian's /usr/bin/chromium
// driven by playwright-core): two pages in one room see each other move, show
// their round-trip time, and a reloaded page gets its player back. Screenshots
// of each step go to $SIO_TEST_OUTPUT/game/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, Shots, User, WAIT_MS } from '../chat/lib/browser.mjs';
import { startGame } from './lib/game-server.mjs';

class GameShots extends Shots {
  constructor(slug) {
    super(slug);
    this.dir = process.env.SIO_TEST_OUTPUT ? path.join(process.env.SIO_TEST_OUTPUT, 'game') : null;
    if (this.dir) mkdirSync(this.dir, { recursive: true });
  }
}

let server;
let browser;

before(async () => {
  server = await startGame();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The player named `name` as `user`'s page lists it: {id, x, y, on, ...} (data attributes).
async function seen(user, name) {
  const li = user.locator(`#players li[data-name="${name}"]`);
  await li.waitFor({ state: 'attached', timeout: WAIT_MS });
  return li.evaluate((el) => ({ ...el.dataset, x: Number(el.dataset.x), y: Number(el.dataset.y) }));
}

// Waits until `user`'s page lists `name` moved more than 40 units along
// `axis` from `from` in direction `dir`, or (with `on`) shown as connected.
function until(user, name, { axis, from, dir, on }) {
  return user.until(([n, a]) => {
    const li = document.querySelector(`#players li[data-name="${n}"]`);
    if (!li) return false;
    if (a.on) return li.dataset.on === 'true';
    return (Number(li.dataset[a.axis]) - a.from) * a.dir > 40;
  }, [name, { axis, from, dir, on }]);
}

async function joinNew(user, name, room) {
  await user.page.fill('#name', name);
  await user.page.fill('#new-room', room);
  await user.page.click('#create');
  await user.locator('#app[data-joined="true"]').waitFor({ state: 'attached', timeout: WAIT_MS });
}

async function joinListed(user, name, room) {
  await user.page.fill('#name', name);
  await user.visible(`#rooms li[data-room="${room}"]`);
  await user.page.click(`#rooms li[data-room="${room}"] button`);
  await user.locator('#app[data-joined="true"]').waitFor({ state: 'attached', timeout: WAIT_MS });
}

// Holds an arrow key until `watcher` sees `name` moved more than 40 units along it.
async function walk(user, name, watcher, axis) {
  const start = await seen(watcher, name);
  const limit = axis === 'x' ? 960 : 600;
  const dir = start[axis] < limit / 2 ? 1 : -1;
  const key = axis === 'x' ? (dir > 0 ? 'ArrowRight' : 'ArrowLeft') : (dir > 0 ? 'ArrowDown' : 'ArrowUp');
  await user.page.keyboard.down(key);
  await until(watcher, name, { axis, from: start[axis], dir });
  await user.page.keyboard.up(key);
}

test('two pages in one room see each other move, show their round-trip time, and a reload keeps the player', async () => {
  const shots = new GameShots('two-players');
  const alice = await User.open(browser, server.url, 'alice');
  await shots.take(alice, 'lobby');
  await joinNew(alice, 'alice', 'duel');
  const bob = await User.open(browser, server.url, 'bob');
  await joinListed(bob, 'bob', 'duel');

  await seen(alice, 'bob');
  await seen(bob, 'alice');
  for (const u of [alice, bob]) {
    await u.until(() => document.querySelector('#rtt').dataset.rtt !== '');
    assert.match(await u.page.textContent('#rtt'), /^RTT \d+ ms$/);
  }

  await walk(alice, 'alice', bob, 'x');
  await walk(bob, 'bob', alice, 'y');
  await walk(alice, 'alice', bob, 'y');
  await shots.take(alice, 'both moved');
  await shots.take(bob, 'both moved');

  // A reload is a drop and a return: the page joins again with its token.
  const before = await seen(alice, 'alice');
  await alice.page.reload();
  await alice.waitConnected();
  await alice.locator('#app[data-joined="true"]').waitFor({ state: 'attached', timeout: WAIT_MS });
  const after = await seen(alice, 'alice');
  assert.equal(after.id, before.id, 'the same player after the reload');
  await until(bob, 'alice', { on: true });
  await walk(alice, 'alice', bob, 'x');
  await shots.take(bob, 'alice back after reload');

  for (const u of [alice, bob]) {
    assert.deepEqual(u.errors, [], `${u.name}'s page had script errors`);
    assert.deepEqual(u.dialogs, [], `${u.name}'s page opened dialogs`);
    await u.close();
  }
});
