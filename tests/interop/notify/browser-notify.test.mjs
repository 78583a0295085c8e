// sio-notify's page in Debian's chromium (playwright-core; see
// ../chat/lib/browser.mjs): alice has three tabs (pages of one browser
// context, sharing the signed-in token), bob one. A POST /notify shows in
// alice's three tabs and not in bob's; marking it read in one tab clears the
// badge in the other two. Waits are on DOM states with bounded timeouts;
// screenshots go to $SIO_TEST_OUTPUT/notify/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, WAIT_MS } from '../chat/lib/browser.mjs';
import { post, startNotify } from './lib/notify.mjs';

const SHOTS = process.env.SIO_TEST_OUTPUT ? path.join(process.env.SIO_TEST_OUTPUT, 'notify') : null;
let server;
let browser;
let shot = 0;

before(async () => {
  server = await startNotify();
  browser = await launchBrowser();
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function snap(page, step) {
  if (!SHOTS) return;
  shot += 1;
  await page.screenshot({ path: path.join(SHOTS, `${String(shot).padStart(2, '0')}-${step}.png`) });
}

function watch(page, errors) {
  page.on('pageerror', (err) => errors.push(err.message));
  return page;
}

async function openTab(context, errors) {
  const page = watch(await context.newPage(), errors);
  await page.goto(server.url);
  return page;
}

const wait = (page, selector, state = 'visible') => page.locator(selector).first().waitFor({ state, timeout: WAIT_MS });
const badge = (page, n) => wait(page, `#badge[data-count="${n}"]`, 'attached');

async function signIn(page, name) {
  await page.fill('#name', name);
  await page.click('#signin');
  await wait(page, '#app[data-signed-in="true"]', 'attached');
  await wait(page, '#status[data-status="connected"]');
}

test('three tabs of alice get the notification, bob does not; reading it in one tab updates the others', async () => {
  const errors = [];
  const aliceCtx = await browser.newContext({ viewport: { width: 900, height: 560 } });
  const bobCtx = await browser.newContext({ viewport: { width: 900, height: 560 } });

  const first = await openTab(aliceCtx, errors);
  await wait(first, '#login');
  await snap(first, 'sign-in');
  await signIn(first, 'alice');
  // Two more tabs: signed in by the token the first one keeps.
  const tabs = [first, await openTab(aliceCtx, errors), await openTab(aliceCtx, errors)];
  for (const t of tabs.slice(1)) {
    await wait(t, '#app[data-signed-in="true"]', 'attached');
    await wait(t, '#status[data-status="connected"]');
  }
  const bob = await openTab(bobCtx, errors);
  await signIn(bob, 'bob');

  const a = await post(server.url, '/notify', { to: 'alice', title: 'Deploy finished', body: 'v2.4.1 is live on production.' });
  assert.equal(a.status, 202, a.text);
  const b = await post(server.url, '/notify', { to: ['alice', 'bob'], title: 'Standup in 5 minutes', body: 'Room 3, or the video link.' });
  const c = await post(server.url, '/notify', { to: 'bob', title: 'Only for bob' });
  for (const t of tabs) {
    await wait(t, `#list li[data-id="${a.json.id}"][data-read="false"]`);
    await wait(t, `#list li[data-id="${b.json.id}"]`);
    await badge(t, 2);
  }
  // bob: his two, never alice's (his last one came after hers).
  await wait(bob, `#list li[data-id="${c.json.id}"]`);
  await badge(bob, 2);
  assert.equal(await bob.locator(`#list li[data-id="${a.json.id}"]`).count(), 0);
  assert.equal(await bob.locator('#list li').count(), 2);
  await snap(tabs[1], 'alice-tab2-two-unread');
  await snap(bob, 'bob-his-own');

  // Mark read in tab 1: tabs 2 and 3 follow (badge and item).
  await tabs[0].click(`#list li[data-id="${a.json.id}"] .mark-read`);
  for (const t of tabs) {
    await wait(t, `#list li[data-id="${a.json.id}"][data-read="true"]`, 'attached');
    await badge(t, 1);
  }
  await badge(bob, 2); // bob's count is his own
  await snap(tabs[2], 'alice-tab3-after-read-in-tab1');

  // A title that looks like HTML is shown as text.
  const h = await post(server.url, '/notify', { to: 'alice', title: '<b>not bold</b>', body: '<img src=x onerror="document.title=1">' });
  await wait(tabs[2], `#list li[data-id="${h.json.id}"]`);
  assert.equal(await tabs[2].locator(`#list li[data-id="${h.json.id}"] .title`).textContent(), '<b>not bold</b>');
  assert.equal(await tabs[2].locator('#list b').count(), 0);
  await badge(tabs[2], 2);

  // Mark all read in tab 3: every tab's badge goes away.
  await tabs[2].click('#mark-all');
  for (const t of tabs) await badge(t, 0);
  await snap(tabs[0], 'alice-all-read');

  // A reloaded tab shows the same state.
  await tabs[1].reload();
  await wait(tabs[1], `#list li[data-id="${a.json.id}"][data-read="true"]`, 'attached');
  await badge(tabs[1], 0);

  assert.deepEqual(errors, []);
  await aliceCtx.close();
  await bobCtx.close();
});

test('a page with a bad token is sent back to sign in', async () => {
  const errors = [];
  const ctx = await browser.newContext({ viewport: { width: 900, height: 560 } });
  await ctx.addInitScript(() => localStorage.setItem('sio-notify-token', 'mallory.9999999999.deadbeef'));
  const page = await openTab(ctx, errors);
  await wait(page, '#login-error:has-text("not valid")');
  assert.equal(await page.isVisible('#app'), false);
  await snap(page, 'bad-token');
  // A bad name is refused with the server's reason.
  await page.fill('#name', 'no spaces please');
  await page.click('#signin');
  await wait(page, '#login-error:has-text("1-32")');
  assert.deepEqual(errors, []);
  await ctx.close();
});
