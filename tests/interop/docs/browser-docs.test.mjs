// sio-docs in Debian's chromium (tests/interop/chat/lib/browser.mjs): three
// pages type at random places at the same time (accents, emoji, CJK, new
// lines, deletions), one page loses its connection, keeps typing, and
// returns; every page ends with the same text, equal to the server's.
// Screenshots of each step go to $SIO_TEST_OUTPUT/docs/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { launchBrowser, Shots, User } from '../chat/lib/browser.mjs';
import { serverText } from './lib/docs-client.mjs';
import { startDocs } from './lib/docs-server.mjs';
import { randomInt, randomText, rng } from './lib/random.mjs';

function docsShots(slug) {
  const shots = new Shots(slug);
  if (shots.dir) {
    shots.dir = path.join(process.env.SIO_TEST_OUTPUT, 'docs');
    mkdirSync(shots.dir, { recursive: true });
  }
  return shots;
}

async function open(browser, url, name) {
  const user = await User.open(browser, url, name, { query: `?name=${encodeURIComponent(name)}` });
  await user.page.click('#text');
  return user;
}

// Puts the caret at code point `at` of the page's text.
async function caretAt(user, at) {
  await user.page.evaluate((cp) => {
    const t = document.getElementById('text');
    const i = Array.from(t.value).slice(0, cp).join('').length;
    t.focus();
    t.setSelectionRange(i, i);
  }, at);
}

// One random edit with the keyboard: type a few characters, or delete some.
async function randomEdit(user, rand) {
  const len = await user.page.evaluate(() => Array.from(document.getElementById('text').value).length);
  const at = randomInt(rand, len + 1);
  await caretAt(user, at);
  if (at > 0 && rand() < 0.3) {
    const n = 1 + randomInt(rand, Math.min(3, at));
    for (let i = 0; i < n; i += 1) await user.page.keyboard.press('Backspace');
  } else {
    await user.page.keyboard.type(randomText(rand, 4));
  }
}

const state = (user) =>
  user.page.evaluate(() => ({
    text: document.getElementById('text').value,
    model: window.docs.client.text,
    revision: window.docs.client.revision,
  }));

async function settled(users) {
  for (const u of users) await u.until(() => window.docs.client.synchronized && window.docs.client.online);
  const revs = await Promise.all(users.map(async (u) => (await state(u)).revision));
  const last = Math.max(...revs);
  for (const u of users) await u.until((r) => window.docs.client.revision === r, last);
  return last;
}

test('three pages edit at random at once, one drops and returns: all end with the server\'s text', async () => {
  const seed = Number(process.env.SIO_DOCS_SEED ?? 17);
  console.log(`# seed ${seed} (SIO_DOCS_SEED=${seed} repeats this run)`);
  const rand = rng(seed);
  const server = await startDocs();
  const browser = await launchBrowser();
  try {
    const shots = docsShots('random');
    const users = [];
    for (const name of ['Ana', 'Bo', 'Chloé']) users.push(await open(browser, server.url, name));
    const [ana, , chloe] = users;
    for (const u of users) await u.visible('#users li[data-name="Chloé"]');

    for (let round = 0; round < 12; round += 1) await Promise.all(users.map((u) => randomEdit(u, rand)));
    await shots.take(ana, 'typing together');

    // Chloé's connection dies; she keeps typing, and so do the others.
    await chloe.page.evaluate(() => {
      window.docs.socket.io.reconnection(false);
      window.docs.socket.io.engine.close();
    });
    await chloe.waitStatus('reconnecting');
    for (let round = 0; round < 8; round += 1) await Promise.all(users.map((u) => randomEdit(u, rand)));
    await chloe.page.keyboard.type(' offline: ñ 👋 ');
    await shots.take(chloe, 'offline and typing');

    await chloe.page.evaluate(() => {
      window.docs.socket.io.reconnection(true);
      window.docs.socket.connect();
    });
    await chloe.waitConnected();
    await settled(users);
    // What she typed offline arrived once, everywhere.
    for (const u of users) assert.equal((await state(u)).text.split(' offline: ñ 👋 ').length, 2, u.name);
    await shots.take(ana, 'after the return');
    for (let round = 0; round < 6; round += 1) await Promise.all(users.map((u) => randomEdit(u, rand)));

    const revision = await settled(users);
    const truth = await serverText(server.url);
    assert.equal(truth.revision, revision);
    for (const u of users) {
      const s = await state(u);
      assert.equal(s.model, truth.text, `${u.name}'s model`);
      assert.equal(s.text, truth.text, `${u.name}'s textarea`);
      assert.deepEqual(u.errors, [], `${u.name}'s page errors`);
    }
    // Every page shows the two others' carets, named.
    for (const u of users) {
      await u.until(() => document.querySelectorAll('#overlay .caret').length === 2);
    }
    await shots.take(ana, 'converged');
    await shots.take(chloe, 'converged');
    console.log(`# ${revision} revisions, ${Array.from(truth.text).length} code points, all equal`);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('a readable session for the README\'s screenshot: names, carets, a selection', async () => {
  const server = await startDocs();
  const browser = await launchBrowser();
  try {
    const shots = docsShots('readme');
    const ana = await open(browser, server.url, 'Ana');
    // No emoji here: Debian's chromium has no colour emoji font (the random test types them).
    await ana.page.keyboard.type('Shopping list for the café\n\n- olive oil\n- 2 kg of tomatoes\n- bread\n\nIdeas for Saturday\n');
    const bo = await open(browser, server.url, 'Bo');
    const chloe = await open(browser, server.url, 'Chloé');
    await bo.until(() => window.docs.client.text.includes('Saturday'));
    await caretAt(bo, Array.from('Shopping list for the café\n\n- olive oil\n').length);
    await bo.page.keyboard.type('- jamón ibérico\n');
    await caretAt(chloe, Array.from(await chloe.page.evaluate(() => window.docs.client.text)).length);
    await chloe.page.keyboard.type('- picnic by the river (if it does not rain)');
    await ana.until(() => window.docs.client.text.includes('rain)'));
    await ana.page.evaluate(() => {
      const t = document.getElementById('text');
      const i = t.value.indexOf('bread');
      t.focus();
      t.setSelectionRange(i, i + 5);
      t.dispatchEvent(new Event('select'));
    });
    await bo.until(() => document.querySelectorAll('#overlay .sel').length === 1);
    for (const u of [ana, bo, chloe]) await u.until(() => document.querySelectorAll('#overlay .caret').length === 2);
    const texts = await Promise.all([ana, bo, chloe].map((u) => u.page.evaluate(() => document.getElementById('text').value)));
    assert.equal(texts[0], texts[1]);
    assert.equal(texts[1], texts[2]);
    await shots.take(bo, 'three people');
  } finally {
    await browser.close();
    await server.stop();
  }
});
