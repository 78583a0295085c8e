// The chat page in Debian's chromium, driven by playwright-core (never downloads a
// browser). Each user is a separate browser context (own storage, own connection).
// Waits are on DOM states with bounded timeouts; screenshots of each step go to
// $SIO_TEST_OUTPUT/chat/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const WAIT_MS = 10000; // bound for one DOM state to appear
const CHROMIUM = process.env.SIO_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// `extraArgs`: more chromium switches (the TLS test's certificate pin).
export async function launchBrowser(extraArgs = []) {
  // Plain launch: playwright gives every launch a fresh temporary profile.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...extraArgs] });
  console.log(`# Node.js ${process.version} (${process.execPath}), chromium ${browser.version()}`);
  return browser;
}

// Screenshots numbered in order, named after the test and the step.
export class Shots {
  constructor(slug) {
    this.dir = process.env.SIO_TEST_OUTPUT ? path.join(process.env.SIO_TEST_OUTPUT, 'chat') : null;
    if (this.dir) mkdirSync(this.dir, { recursive: true });
    this.prefix = slug;
    this.n = 0;
  }

  async take(user, step) {
    if (!this.dir) return;
    this.n += 1;
    const name = `${this.prefix}-${String(this.n).padStart(2, '0')}-${user.name}-${step.replace(/[^a-z0-9]+/gi, '-')}.png`;
    await user.page.screenshot({ path: path.join(this.dir, name) });
  }
}

// One person with the page open.
export class User {
  static async open(browser, baseUrl, name, { query = '' } = {}) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    const page = await context.newPage();
    const user = new User(name, context, page);
    page.on('pageerror', (err) => user.errors.push(err.message));
    page.on('dialog', (d) => {
      user.dialogs.push(d.message());
      d.dismiss();
    });
    await page.goto(new URL(`/${query}`, baseUrl).toString());
    await user.waitConnected();
    return user;
  }

  constructor(name, context, page) {
    this.name = name;
    this.context = context;
    this.page = page;
    this.errors = [];
    this.dialogs = [];
  }

  locator(selector, opts) {
    return this.page.locator(selector, opts);
  }

  // Waits for the first element matching `selector` (and opts.hasText) to be in `state`.
  async visible(selector, opts = {}, state = 'visible') {
    await this.page.locator(selector, opts).first().waitFor({ state, timeout: WAIT_MS });
  }

  async waitConnected() {
    await this.visible('#status[data-status="connected"]');
  }

  async waitStatus(status) {
    await this.page.locator(`#status[data-status="${status}"]`).waitFor({ state: 'attached', timeout: WAIT_MS });
  }

  // Fills the login form; resolves once in the room (or throws).
  async join(nick, room = 'general') {
    await this.page.fill('#nick', nick);
    await this.page.fill('#room', room);
    await this.page.click('#join');
    await this.page.locator('#app[data-joined="true"]').waitFor({ state: 'attached', timeout: WAIT_MS });
    await this.page.locator('#login').waitFor({ state: 'hidden', timeout: WAIT_MS });
  }

  async tryJoin(nick, room = 'general') {
    await this.page.fill('#nick', nick);
    await this.page.fill('#room', room);
    await this.page.click('#join');
  }

  async loginError(text) {
    await this.visible('#login-error', { hasText: text });
  }

  async type(text) {
    await this.page.fill('#text', text);
  }

  async send(text) {
    await this.page.fill('#text', text);
    await this.page.press('#text', 'Enter');
  }

  message(text) {
    return this.page.locator('#messages li.msg', { hasText: text });
  }

  // Waits for a message with `text` (from `from`, when given) to be shown.
  async sees(text, { from } = {}) {
    const loc = from ? this.page.locator(`#messages li.msg[data-from="${from}"]`, { hasText: text }) : this.message(text);
    await loc.first().waitFor({ state: 'visible', timeout: WAIT_MS });
    return loc.first();
  }

  async delivered(text) {
    await this.page.locator('#messages li.msg.own[data-status="delivered"]', { hasText: text }).first()
      .waitFor({ state: 'visible', timeout: WAIT_MS });
  }

  async seesMember(nick) {
    await this.page.locator(`#members li[data-nick="${cssString(nick)}"]`).waitFor({ state: 'visible', timeout: WAIT_MS });
  }

  async seesNoMember(nick) {
    await this.page.locator(`#members li[data-nick="${cssString(nick)}"]`).waitFor({ state: 'detached', timeout: WAIT_MS });
  }

  // Waits until the room list shows `room` with `count` members.
  async seesRoom(room, count) {
    await this.page.locator(`#rooms li[data-room="${cssString(room)}"] .count`, { hasText: new RegExp(`^${count}$`) })
      .waitFor({ state: 'visible', timeout: WAIT_MS });
  }

  async notice(text) {
    await this.visible('#notices .notice', { hasText: text });
  }

  // Evaluates `fn` in the page until it returns a truthy value.
  async until(fn, arg) {
    await this.page.waitForFunction(fn, arg, { timeout: WAIT_MS, polling: 50 });
  }

  async close() {
    await this.context.close();
  }
}

function cssString(s) {
  return s.replace(/["\\]/g, '\\$&');
}
