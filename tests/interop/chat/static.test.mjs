// The HTTP side of the chat server: the page, the official client bundle, the
// security headers, what is refused; and the command line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chatCommand, startChat } from './lib/chat-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let server;

before(async () => {
  server = await startChat();
});

after(async () => {
  await server?.stop();
});

const get = (p) => fetch(new URL(p, server.url), { signal: AbortSignal.timeout(5000) });

test('/ is the page, with a content security policy', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const html = await res.text();
  assert.equal(html, readFileSync(path.join(repo, 'web/index.html'), 'utf8'));
});

test('the page\'s scripts and styles are served with their types', async () => {
  for (const [file, type] of [['/chat.js', /javascript/], ['/chat.css', /^text\/css/], ['/lib/messages.js', /javascript/], ['/favicon.svg', /^image\/svg\+xml/]]) {
    const res = await get(file);
    assert.equal(res.status, 200, file);
    assert.match(res.headers.get('content-type'), type, file);
    assert.equal(await res.text(), readFileSync(path.join(repo, 'web', file), 'utf8'));
  }
});

test('/socket.io-client.js is the official bundle from node_modules', async () => {
  const res = await get('/socket.io-client.js');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /javascript/);
  const bundle = readFileSync(path.join(repo, 'node_modules/socket.io-client/dist/socket.io.min.js'), 'utf8');
  assert.equal(await res.text(), bundle);
});

test('nothing outside the web root, no hidden files, no unknown paths', async () => {
  for (const p of ['/nope.html', '/lib/', '/.git/config', '/lib/.hidden']) {
    assert.equal((await get(p)).status, 404, p);
  }
  // fetch normalises "..": send the raw request line.
  for (const raw of ['/../package.json', '/lib/../../package.json', '/%2e%2e/package.json', '/..%2fpackage.json']) {
    assert.match(await rawStatusLine(raw), /^HTTP\/1\.1 404/, raw);
  }
  const post = await fetch(new URL('/', server.url), { method: 'POST', body: 'x', signal: AbortSignal.timeout(5000) });
  assert.equal(post.status, 404);
});

test('--help lists the options', () => {
  const [exe, ...lead] = chatCommand();
  const run = spawnSync(exe, [...lead, '--help'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(run.status, 0, run.stderr);
  for (const flag of ['--port', '--host', '--history', '--max-upload', '--log-level', '--web-root', '--client-bundle']) {
    assert.ok(run.stdout.includes(flag), `--help mentions ${flag}`);
  }
});

function rawStatusLine(target) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1');
    let data = '';
    sock.setTimeout(5000, () => sock.destroy(new Error(`no answer for ${target}`)));
    sock.on('data', (c) => {
      data += c;
      if (data.includes('\r\n')) {
        resolve(data.split('\r\n')[0]);
        sock.destroy();
      }
    });
    sock.on('error', reject);
    sock.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  });
}
