// Every way a socket leaves, as the official client sees it and as the server
// reports it (a watcher socket hears the server's reason for each disconnect):
// client and server namespace disconnects, a server disconnect that closes
// the connection, transport close, parse error, ping timeout, server shutdown,
// and the connect timeout of a connection that never joins a namespace.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Socket as EngineSocket } from 'engine.io-client';
import { stopAnsweringPings } from '../lib/eio-client.mjs';
import { programCommand, startProgram } from '../lib/server.mjs';
import { MODES, THREADS, ask, connect, connectMany, forEachSetup, nextEvent, programFixture } from './helpers.mjs';

// A socket that hears every disconnect the server sees.
async function watcher(t, url, mode) {
  const w = await connect(t, url, { mode, record: ['disconnected'] });
  await ask(w, 'watch');
  return w;
}

// The server's reason for `id`'s disconnect.
async function reasonOf(w, id, nsp = '/') {
  for (;;) {
    const [report] = await w.recorded.disconnected.next();
    if (report.id === id && report.nsp === nsp) return report.reason;
  }
}

forEachSetup((server, mode) => {
  test('the client leaves a namespace', async (t) => {
    const w = await watcher(t, server.url, mode);
    const s = await connect(t, server.url, { mode });
    const id = s.id;
    const gone = nextEvent(s, 'disconnect');
    s.disconnect();
    assert.deepEqual(await gone, ['io client disconnect', undefined]);
    assert.equal(await reasonOf(w, id), 'client namespace disconnect');
  });

  test('the server makes a socket leave its namespace', async (t) => {
    const w = await watcher(t, server.url, mode);
    const [main, custom] = await connectMany(t, server.url, ['/', '/custom'], { mode });
    const id = main.id;
    const gone = nextEvent(main, 'disconnect');
    main.emit('disconnect-me', false);
    assert.deepEqual(await gone, ['io server disconnect', undefined]);
    assert.equal(await reasonOf(w, id), 'server namespace disconnect');
    // the connection and the other namespace stay
    assert.deepEqual(await ask(custom, 'ack', 'alive'), ['alive']);
  });

  test('the server closes the whole connection', async (t) => {
    const w = await watcher(t, server.url, mode);
    const [main, custom] = await connectMany(t, server.url, ['/', '/custom'], { mode });
    const ids = [main.id, custom.id];
    const gone = [main, custom].map((s) => nextEvent(s, 'disconnect'));
    main.emit('disconnect-me', true);
    assert.deepEqual((await Promise.all(gone)).map(([r]) => r), ['io server disconnect', 'io server disconnect']);
    assert.equal(await reasonOf(w, ids[0], '/'), 'server namespace disconnect');
    assert.equal(await reasonOf(w, ids[1], '/custom'), 'server namespace disconnect');
  });

  test('the client closes its connection: transport close', async (t) => {
    const w = await watcher(t, server.url, mode);
    const s = await connect(t, server.url, { mode });
    const id = s.id;
    s.io.engine.close();
    assert.equal(await reasonOf(w, id), 'transport close');
  });

  test('an invalid packet: parse error', async (t) => {
    const w = await watcher(t, server.url, mode);
    const s = await connect(t, server.url, { mode });
    const id = s.id;
    const gone = nextEvent(s, 'disconnect');
    s.io.engine.write('abc'); // the Engine.IO message "4abc": no such Socket.IO packet type
    assert.equal(await reasonOf(w, id), 'parse error');
    const [clientReason] = await gone;
    assert.equal(clientReason, 'transport close');
  });
});

for (const threads of THREADS) {
  describe(`--threads ${threads}, short heartbeat and connect timeout`, () => {
    const server = programFixture('socketio-test-server', [
      '--threads', String(threads), '--ping-interval', '200', '--ping-timeout', '200', '--connect-timeout', '300',
    ]);
    for (const mode of Object.keys(MODES)) {
      test(`${mode}: a client that stops answering pings: ping timeout`, async (t) => {
        const w = await watcher(t, server.url, mode);
        const s = await connect(t, server.url, { mode });
        const id = s.id;
        stopAnsweringPings(s.io.engine);
        assert.equal(await reasonOf(w, id), 'ping timeout');
      });

      test(`${mode}: a connection that joins no namespace is closed`, async (t) => {
        const engine = new EngineSocket(server.url, { path: '/socket.io/', transports: MODES[mode] });
        t.after(() => engine.close());
        await nextEvent(engine, 'open');
        // it answers pings: only the connect timeout (300 ms) can end it
        const [reason] = await nextEvent(engine, 'close', { timeoutMs: 3000 });
        assert.equal(reason, 'transport close');
      });
    }
  });

  describe(`--threads ${threads}, server shutdown`, () => {
    for (const mode of Object.keys(MODES)) {
      test(`${mode}: clients see the connection close`, async (t) => {
        const server = await startProgram(programCommand('socketio-test-server'), ['--port', '0', '--threads', String(threads)], {
          label: 'socketio-test-server-shutdown',
        });
        t.after(() => server.stop());
        const [main, custom] = await connectMany(t, server.url, ['/', '/custom'], { mode });
        const gone = [main, custom].map((s) => nextEvent(s, 'disconnect'));
        await server.stop();
        assert.deepEqual((await Promise.all(gone)).map(([r]) => r), ['transport close', 'transport close']);
      });
    }
  });
}
