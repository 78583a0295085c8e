// The chat page in chromium over https and wss: sio-chat started with
// --tls-cert/--tls-key, a CA made here with openssl, and chromium trusting
// only that server certificate (its SPKI pinned with
// --ignore-certificate-errors-spki-list; no blanket ignoreHTTPSErrors). A
// chromium without the pin refuses the page: the trust is the pin's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, Shots, User } from './lib/browser.mjs';
import { Pki } from '../lib/pki.mjs';
import { programCommand, startProgram } from '../lib/server.mjs';

let pki;
let server;
let browser;

before(async () => {
  pki = new Pki();
  const cert = pki.makeLeaf('chat-server');
  server = await startProgram(
    programCommand('sio-chat'),
    ['--port', '0', '--host', '127.0.0.1', '--tls-cert', cert.cert, '--tls-key', cert.key],
    { label: 'sio-chat-tls' },
  );
  browser = await launchBrowser([`--ignore-certificate-errors-spki-list=${pki.spkiHash(cert.cert)}`]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  pki?.remove();
});

test('two users chat over https and wss', async () => {
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:/);
  const shots = new Shots('tls');
  const alice = await User.open(browser, server.url, 'alice');
  const bob = await User.open(browser, server.url, 'bob');
  await alice.join('alice', 'secure');
  await bob.join('bob', 'secure');
  await alice.seesMember('bob');
  // Both upgraded from https polling to wss.
  for (const u of [alice, bob]) await u.until(() => window.chat.socket.io.engine.transport.name === 'websocket');
  assert.equal(await alice.page.evaluate(() => location.protocol), 'https:');
  await alice.send('over TLS');
  await alice.delivered('over TLS');
  await bob.sees('over TLS', { from: 'alice' });
  await shots.take(bob, 'message over wss');
  for (const u of [alice, bob]) {
    assert.deepEqual(u.errors, [], `${u.name}'s page had script errors`);
    await u.close();
  }
});

test('chromium without the pin refuses the certificate', async () => {
  const plain = await launchBrowser();
  try {
    const page = await (await plain.newContext()).newPage();
    await assert.rejects(page.goto(server.url), /ERR_CERT_AUTHORITY_INVALID/);
  } finally {
    await plain.close();
  }
});
