// Long-polling fallback: a page forced to polling (?transports=polling, as when
// WebSocket is unavailable) chats with a page on WebSocket, and each shows its
// transport.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, Shots, User } from './lib/browser.mjs';
import { startChat } from './lib/chat-server.mjs';
import { makePng } from './lib/png.mjs';

let server;
let browser;

before(async () => {
  server = await startChat();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a polling-only page and a WebSocket page chat, with files and typing', async () => {
  const shots = new Shots('transports');
  const polly = await User.open(browser, server.url, 'polly', { query: '?transports=polling' });
  const wendy = await User.open(browser, server.url, 'wendy');
  await polly.join('polly', 'mixed');
  await wendy.join('wendy', 'mixed');

  await polly.visible('#transport', { hasText: /^polling$/ });
  // The default page starts on polling and upgrades.
  await wendy.visible('#transport', { hasText: /^websocket$/ });
  await polly.seesMember('wendy');
  await wendy.seesMember('polly');

  await polly.type('hel');
  await wendy.visible('#typing', { hasText: 'polly is typing…' });
  await polly.send('hello over long-polling');
  await polly.delivered('hello over long-polling');
  await wendy.sees('hello over long-polling', { from: 'polly' });
  await wendy.send('hello over websocket');
  await polly.sees('hello over websocket', { from: 'wendy' });

  // Binary attachments over polling travel base64-encoded; they arrive intact.
  await polly.page.setInputFiles('#file', { name: 'poll.png', mimeType: 'image/png', buffer: makePng(40, 30) });
  await wendy.until(() => document.querySelector('#messages img[alt="poll.png"]')?.naturalWidth === 40);
  await wendy.page.setInputFiles('#file', { name: 'ws.png', mimeType: 'image/png', buffer: makePng(30, 20) });
  await polly.until(() => document.querySelector('#messages img[alt="ws.png"]')?.naturalWidth === 30);

  // Still on the transport it was forced to.
  assert.equal(await polly.locator('#transport').textContent(), 'polling');
  assert.equal(await polly.page.evaluate(() => window.chat.socket.io.engine.transport.name), 'polling');
  await shots.take(polly, 'polling page');
  await shots.take(wendy, 'websocket page');
  for (const u of [polly, wendy]) {
    assert.deepEqual(u.errors, []);
    await u.close();
  }
});
