// TLS on the server's port (issue 12), against socketio-echo started with
// --tls-cert/--tls-key, and a CA made here with the openssl command line:
// socket.io-client over https polling upgraded to wss and over wss alone
// (events, acks, binary); TLS 1.2+ only and ALPN http/1.1; plain HTTP and
// stalled handshakes closed while other clients are served; mutual TLS;
// reloading the certificate on SIGHUP (new connections see the new one, open
// ones stay, a bad file keeps the old one); bad files at start-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { io } from 'socket.io-client';
import { Pki } from '../lib/pki.mjs';
import { programCommand, startProgram } from '../lib/server.mjs';
import { RawHttp } from '../lib/raw-http.mjs';
import { nextEvent, withTimeout } from '../lib/wait.mjs';

let pki;
let serverCert;
let clientCert;
let otherClientCert; // signed by a CA the server does not trust

before(() => {
  pki = new Pki();
  serverCert = pki.makeLeaf('server');
  clientCert = pki.makeLeaf('client', { usage: 'clientAuth' });
  const otherCa = pki.makeCa('other-ca', 'untrusted CA');
  otherClientCert = pki.makeLeaf('other-client', { ca: otherCa, usage: 'clientAuth' });
});

after(() => pki?.remove());

function startEcho(t, { cert = serverCert, extra = [], threads = 2 } = {}) {
  const args = ['--port', '0', '--threads', String(threads), '--tls-cert', cert.cert, '--tls-key', cert.key, ...extra];
  return startProgram(programCommand('socketio-echo'), args, { label: 'socketio-echo-tls' }).then((server) => {
    t.after(() => server.stop());
    return server;
  });
}

// A connected socket.io-client (rejects on connect_error).
async function connect(t, url, opts = {}) {
  const s = io(url, { ca: pki.read(pki.ca.cert), forceNew: true, reconnection: false, ...opts });
  t.after(() => s.close());
  await withTimeout(
    new Promise((resolve, reject) => {
      s.once('connect', resolve);
      s.once('connect_error', reject);
    }),
    10000,
    'connect',
  );
  return s;
}

// The refusal of a connection that must not open.
async function refused(t, url, opts) {
  const s = io(url, { ca: pki.read(pki.ca.cert), forceNew: true, reconnection: false, ...opts });
  t.after(() => s.close());
  const [err] = await nextEvent(s, 'connect_error', { timeoutMs: 10000, failOn: ['connect'] });
  return err;
}

// echo with an ack: the server acks with the same arguments and emits them back.
async function echo(s, ...args) {
  const back = nextEvent(s, 'echo');
  const acked = await withTimeout(
    new Promise((resolve, reject) =>
      s.timeout(5000).emit('echo', ...args, (err, ...reply) => (err ? reject(err) : resolve(reply))),
    ),
    10000,
    'the ack',
  );
  return { acked, emitted: await back };
}

// A raw TLS connection: resolves once the handshake is done, with the socket.
function tlsConnect(t, port, opts = {}) {
  return withTimeout(
    new Promise((resolve, reject) => {
      const sock = tls.connect({ host: '127.0.0.1', port, ca: pki.read(pki.ca.cert), ...opts });
      t.after(() => sock.destroy());
      sock.once('secureConnect', () => resolve(sock));
      sock.once('error', reject);
    }),
    10000,
    'a TLS handshake',
  );
}

// Waits for `predicate` to hold, re-checking on each of `emitter`'s `event`s.
function until(emitter, event, predicate, what) {
  return withTimeout(
    new Promise((resolve) => {
      const check = () => {
        if (!predicate()) return;
        emitter.off(event, check);
        resolve();
      };
      emitter.on(event, check);
      check();
    }),
    10000,
    what,
  );
}

test('socket.io-client over https polling, upgraded to wss: event, ack, binary', async (t) => {
  const server = await startEcho(t);
  assert.match(server.url, /^https:\/\//);
  const s = await connect(t, server.url);
  if (s.io.engine.transport.name !== 'websocket') await nextEvent(s.io.engine, 'upgrade', { timeoutMs: 10000 });
  assert.equal(s.io.engine.transport.name, 'websocket');
  const { acked, emitted } = await echo(s, 'hello', Buffer.from([1, 2, 3]), { nested: Buffer.from('xyz') });
  assert.equal(acked[0], 'hello');
  assert.deepEqual([...acked[1]], [1, 2, 3]);
  assert.equal(Buffer.from(acked[2].nested).toString(), 'xyz');
  assert.deepEqual([...emitted[1]], [1, 2, 3]);
});

test('socket.io-client over wss alone, and over https polling alone', async (t) => {
  const server = await startEcho(t);
  const ws = await connect(t, server.url, { transports: ['websocket'] });
  assert.equal(ws.io.engine.transport.name, 'websocket');
  const big = Buffer.alloc(200000, 7); // several TLS records each way
  let r = await echo(ws, 'ws', big);
  assert.equal(r.acked[0], 'ws');
  assert.ok(Buffer.from(r.acked[1]).equals(big));
  const poll = await connect(t, server.url, { transports: ['polling'] });
  r = await echo(poll, 'poll', big); // a POST body and a GET reply of many records
  assert.equal(r.acked[0], 'poll');
  assert.ok(Buffer.from(r.acked[1]).equals(big));
});

test('ALPN selects http/1.1; TLS 1.2 and 1.3 are served, a client without ALPN too', async (t) => {
  const server = await startEcho(t);
  const a = await tlsConnect(t, server.port, { ALPNProtocols: ['h2', 'http/1.1'] });
  assert.equal(a.alpnProtocol, 'http/1.1');
  assert.equal(a.getProtocol(), 'TLSv1.3');
  const b = await tlsConnect(t, server.port, { maxVersion: 'TLSv1.2' });
  assert.equal(b.getProtocol(), 'TLSv1.2');
  assert.equal(b.alpnProtocol, false);
  // A request over the raw TLS socket is answered.
  b.write('GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  let got = '';
  b.setEncoding('utf8');
  b.on('data', (d) => (got += d));
  await nextEvent(b, 'end', { timeoutMs: 10000 });
  assert.match(got, /^HTTP\/1\.1 200 OK/);
  assert.match(got, /"sid":"/);
});

// A polling session opened over a raw TLS connection: its sid.
async function openPollingSession(port) {
  const conn = new RawHttp(port, { ca: pki.read(pki.ca.cert) });
  try {
    conn.write('GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: a\r\n\r\n');
    const [r] = await conn.responses(1);
    return JSON.parse(r.body.slice(1)).sid;
  } finally {
    conn.destroy();
  }
}

test('a waiting poll over TLS: a request pipelined behind it is served after it; close_notify aborts it', async (t) => {
  const server = await startEcho(t, { threads: 1 });
  const ca = pki.read(pki.ca.cert);
  const poll = (sid) => `GET /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: a\r\n\r\n`;
  const post = (sid, body) =>
    `POST /socket.io/?EIO=4&transport=polling&sid=${sid} HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

  // The poll waits (nothing to send until the namespace is joined); a request
  // comes behind it in a record of its own; the join answers the poll.
  const sid = await openPollingSession(server.port);
  const conn = new RawHttp(server.port, { ca });
  t.after(() => conn.destroy());
  await conn.send(poll(sid));
  const other = new RawHttp(server.port, { ca }); // a round trip: the poll is parked by then
  t.after(() => other.destroy());
  other.write('GET /elsewhere HTTP/1.1\r\nHost: a\r\n\r\n');
  assert.equal((await other.responses(1))[0].status, 404);
  await conn.send('GET /not-here HTTP/1.1\r\nHost: a\r\n\r\n');
  other.write(post(sid, '40'));
  assert.equal((await other.responses(2))[1].status, 200);
  const [answer, behind] = await conn.responses(2);
  assert.equal(answer.status, 200);
  assert.match(answer.body, /^40\{"sid":"/);
  assert.equal(behind.status, 404);

  // close_notify (then FIN) while a poll waits: the poll is aborted, which
  // closes its session, as a client going away over plain TCP does.
  const sid2 = await openPollingSession(server.port);
  const gone = new RawHttp(server.port, { ca });
  await gone.send(poll(sid2));
  const probe = new RawHttp(server.port, { ca });
  t.after(() => probe.destroy());
  probe.write('GET /elsewhere HTTP/1.1\r\nHost: a\r\n\r\n');
  await probe.responses(1);
  gone.sock.end(); // close_notify, then FIN
  await gone.closed(10000);
  // The session is gone: a POST for it is refused as an unknown sid.
  const check = new RawHttp(server.port, { ca });
  t.after(() => check.destroy());
  check.write(post(sid2, '40'));
  const [refusal] = await check.responses(1);
  assert.equal(refusal.status, 400);
  assert.equal(JSON.parse(refusal.body).code, 1);
});

test('a TLS 1.1 client is refused by the server (protocol_version alert)', async (t) => {
  const server = await startEcho(t);
  // SECLEVEL=0: node's own OpenSSL would otherwise refuse to offer TLS 1.1.
  const err = await tlsConnect(t, server.port, {
    minVersion: 'TLSv1.1',
    maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT@SECLEVEL=0',
  }).then(
    () => null,
    (e) => e,
  );
  assert.ok(err, 'the handshake succeeded');
  assert.equal(err.code, 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', err.message);
});

test('plain HTTP to the TLS port is closed unanswered; a TLS client is served meanwhile', async (t) => {
  const server = await startEcho(t);
  const plain = net.connect(server.port, '127.0.0.1');
  t.after(() => plain.destroy());
  let got = '';
  plain.on('data', (d) => (got += d.toString('latin1')));
  plain.on('error', () => {});
  const closed = nextEvent(plain, 'close', { timeoutMs: 10000 });
  plain.write('GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  const s = await connect(t, server.url, { transports: ['websocket'] });
  assert.equal((await echo(s, 'still here')).acked[0], 'still here');
  await closed;
  assert.doesNotMatch(got, /HTTP\/1\.1/);
});

test('stalled handshakes are closed within the request timeout while another client is served', async (t) => {
  const server = await startEcho(t, { extra: ['--request-timeout', '1500'] });
  const silent = net.connect(server.port, '127.0.0.1');
  const half = net.connect(server.port, '127.0.0.1');
  for (const sock of [silent, half]) {
    t.after(() => sock.destroy());
    sock.on('error', () => {});
  }
  const closes = [silent, half].map((sock) => nextEvent(sock, 'close', { timeoutMs: 15000 }));
  // A handshake record announcing 512 bytes, of which 60 come.
  half.write(Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]), Buffer.alloc(49, 0x2a)]));
  const s = await connect(t, server.url);
  assert.equal((await echo(s, 'served')).acked[0], 'served');
  await Promise.all(closes);
  // The open Socket.IO connection is not a stalled handshake: it stays.
  assert.equal(s.connected, true);
  assert.equal((await echo(s, 'after')).acked[0], 'after');
});

test('mutual TLS: without a client certificate, or with one from another CA, refused; with one, served', async (t) => {
  const server = await startEcho(t, { extra: ['--tls-client-ca', pki.ca.cert] });
  for (const transports of [['polling'], ['websocket']]) {
    await refused(t, server.url, { transports });
    await refused(t, server.url, {
      transports,
      cert: pki.read(otherClientCert.cert),
      key: pki.read(otherClientCert.key),
    });
    const s = await connect(t, server.url, {
      transports,
      cert: pki.read(clientCert.cert),
      key: pki.read(clientCert.key),
    });
    assert.equal((await echo(s, transports[0])).acked[0], transports[0]);
  }
  // The handshake itself fails without a certificate (TLS 1.2: before it completes).
  const err = await tlsConnect(t, server.port, { maxVersion: 'TLSv1.2' }).then(
    () => null,
    (e) => e,
  );
  assert.ok(err, 'the handshake succeeded without a client certificate');
});

test('SIGHUP reloads the certificate: new connections see it, open ones stay; a bad file keeps the old one', async (t) => {
  const a = pki.makeLeaf('reload-a');
  const b = pki.makeLeaf('reload-b');
  const live = { cert: pki.file('live.pem'), key: pki.file('live.key') };
  copyFileSync(a.cert, live.cert);
  copyFileSync(a.key, live.key);
  const server = await startEcho(t, { cert: live });
  const first = await tlsConnect(t, server.port);
  assert.equal(first.getPeerCertificate().serialNumber, a.serial);
  const open = await connect(t, server.url, { transports: ['websocket'] });

  copyFileSync(b.cert, live.cert);
  copyFileSync(b.key, live.key);
  server.proc.kill('SIGHUP');
  await until(server.proc.stderr, 'data', () => server.stderr().includes('TLS certificate reloaded'), 'the reload');
  const second = await tlsConnect(t, server.port);
  assert.equal(second.getPeerCertificate().serialNumber, b.serial);
  assert.equal(open.connected, true);
  assert.equal((await echo(open, 'old connection')).acked[0], 'old connection');

  writeFileSync(live.cert, 'not a certificate\n');
  server.proc.kill('SIGHUP');
  await until(server.proc.stderr, 'data', () => server.stderr().includes('TLS reload failed'), 'the failed reload');
  assert.match(server.stderr(), new RegExp(`reload failed.*${live.cert.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const third = await tlsConnect(t, server.port);
  assert.equal(third.getPeerCertificate().serialNumber, b.serial);
  const s = await connect(t, server.url);
  assert.equal((await echo(s, 'after a bad reload')).acked[0], 'after a bad reload');
});

test('a bad or missing file at start-up: socketio-echo exits non-zero naming the file', () => {
  const [exe] = programCommand('socketio-echo');
  const missing = pki.file('missing.pem');
  const run = (...args) => spawnSync(exe, ['--port', '0', ...args], { encoding: 'utf8', timeout: 10000 });
  let r = run('--tls-cert', missing, '--tls-key', serverCert.key);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, new RegExp(`certificate file '${missing}': No such file or directory`));
  // A key that is not the certificate's.
  r = run('--tls-cert', serverCert.cert, '--tls-key', clientCert.key);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, new RegExp(`key file '${clientCert.key}'`));
  const junk = pki.file('junk.pem');
  writeFileSync(junk, 'junk\n');
  r = run('--tls-cert', serverCert.cert, '--tls-key', serverCert.key, '--tls-client-ca', junk);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, new RegExp(`client CA file '${junk}'`));
  r = run('--tls-cert', serverCert.cert); // a certificate without its key
  assert.notEqual(r.status, 0);
});
