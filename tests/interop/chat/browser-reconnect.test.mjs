// Dropped connections and a restarted server: the page shows "reconnecting", gets
// back into its room, fetches what it missed, and sends what was typed offline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, Shots, User } from './lib/browser.mjs';
import { startChat } from './lib/chat-server.mjs';

async function withBrowser(fn) {
  const browser = await launchBrowser();
  try {
    await fn(browser);
  } finally {
    await browser.close();
  }
}

test('a dropped connection: reconnecting shown, missed messages fetched, offline typing sent', async () => {
  const server = await startChat();
  try {
    await withBrowser(async (browser) => {
      const shots = new Shots('drop');
      const alice = await User.open(browser, server.url, 'alice');
      await alice.join('alice', 'drops');
      const bob = await User.open(browser, server.url, 'bob');
      await bob.join('bob', 'drops');
      await alice.send('before the drop');
      await bob.sees('before the drop');

      // Bob's connection dies, and stays down until the test lets it come back.
      await bob.page.evaluate(() => {
        window.chat.socket.io.reconnection(false);
        window.chat.socket.io.engine.close();
      });
      await bob.waitStatus('reconnecting');
      await bob.visible('#status', { hasText: 'Reconnecting' });
      await alice.seesNoMember('bob');

      await alice.send('missed one');
      await alice.send('missed two');
      await alice.delivered('missed two');
      await bob.send('typed while offline');
      await bob.visible('#messages li.msg.own[data-status="queued"]', { hasText: 'typed while offline' });
      await shots.take(bob, 'offline with a queued message');
      assert.equal(await bob.message('missed one').count(), 0);

      await bob.page.evaluate(() => {
        window.chat.socket.io.reconnection(true);
        window.chat.socket.connect();
      });
      await bob.waitConnected();
      await bob.sees('missed one', { from: 'alice' });
      await bob.sees('missed two', { from: 'alice' });
      await bob.visible('#messages li.system[data-kind="missed"]', { hasText: '2 messages while you were away' });
      await bob.delivered('typed while offline');
      await alice.sees('typed while offline', { from: 'bob' });
      await alice.seesMember('bob');
      // Order on bob's page: what was missed comes before what bob typed offline.
      const order = await bob.page.$$eval('#messages li.msg .body', (nodes) => nodes.map((n) => n.textContent));
      assert.deepEqual(order, ['before the drop', 'missed one', 'missed two', 'typed while offline']);
      assert.equal(await alice.message('typed while offline').count(), 1);
      await shots.take(bob, 'back with missed messages');
      await shots.take(alice, 'offline message arrived');
    });
  } finally {
    await server.stop();
  }
});

test('the server restarts mid-conversation on the same port: both pages reconnect, nothing lost', async () => {
  let server = await startChat();
  const { port } = server;
  try {
    await withBrowser(async (browser) => {
      const shots = new Shots('restart');
      const alice = await User.open(browser, server.url, 'alice');
      await alice.join('alice', 'restart');
      const bob = await User.open(browser, server.url, 'bob', { query: '?transports=polling' });
      await bob.join('bob', 'restart');
      await alice.send('before the restart');
      await bob.sees('before the restart');
      await bob.send('me too');
      await alice.sees('me too');

      await server.stop();
      for (const u of [alice, bob]) {
        await u.waitStatus('reconnecting');
        await u.visible('#banner', { hasText: 'shutting down' });
      }
      await alice.send('sent while the server was down');
      await alice.visible('#messages li.msg.own[data-status="queued"]', { hasText: 'sent while the server was down' });
      await shots.take(alice, 'server down');
      await shots.take(bob, 'server down');

      server = await startChat({ port });
      for (const u of [alice, bob]) {
        await u.waitConnected();
        await u.seesMember('alice');
        await u.seesMember('bob');
      }
      await alice.delivered('sent while the server was down');
      await bob.sees('sent while the server was down', { from: 'alice' });
      await bob.send('welcome back');
      await alice.sees('welcome back', { from: 'bob' });
      // Nothing shown twice.
      assert.equal(await bob.message('sent while the server was down').count(), 1);
      assert.equal(await alice.message('sent while the server was down').count(), 1);
      assert.equal(await alice.message('before the restart').count(), 1);
      await shots.take(alice, 'after restart');
      await shots.take(bob, 'after restart');
      for (const u of [alice, bob]) assert.deepEqual(u.errors, []);
    });
  } finally {
    await server.stop();
  }
});
