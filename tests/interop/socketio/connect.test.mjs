// Connecting to namespaces with the official socket.io-client: the main and a
// custom namespace with auth, several namespaces over one connection, a
// middleware that refuses, unknown and dynamic namespaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, connectMany, forEachSetup, ask, refused } from './helpers.mjs';

forEachSetup((server, mode) => {
  test('connects to the main namespace', async (t) => {
    const s = await connect(t, server.url, { mode });
    assert.equal(typeof s.id, 'string');
    assert.equal(s.id.length, 20);
    assert.notEqual(s.id, s.io.engine.id, 'the socket id is not the Engine.IO sid');
  });

  test('connects to a custom namespace with an auth payload', async (t) => {
    const auth = { token: 'abc', n: 1.5, list: [true, null] };
    const s = await connect(t, server.url, { mode, nsp: '/custom', auth, record: ['auth'] });
    assert.deepEqual(await s.recorded.auth.next(), [auth]);
  });

  test('several namespaces share one connection', async (t) => {
    const [main, custom] = await connectMany(t, server.url, ['/', '/custom'], { mode });
    assert.equal(main.io, custom.io);
    assert.notEqual(main.id, custom.id);
    assert.deepEqual(await ask(main, 'ack', 'main'), ['main']);
    assert.deepEqual(await ask(custom, 'ack', 'custom'), ['custom']);
  });

  test('a middleware refuses with a message and data', async (t) => {
    const err = await refused(t, server.url, { mode, nsp: '/admin', auth: { token: 'wrong' } });
    assert.equal(err.message, 'not authorized');
    assert.deepEqual(err.data, { code: 401 });
    const ok = await connect(t, server.url, { mode, nsp: '/admin', auth: { token: 'secret' }, record: ['welcome'] });
    assert.deepEqual(await ok.recorded.welcome.next(), ['/admin']);
  });

  test('an unknown namespace is refused', async (t) => {
    const err = await refused(t, server.url, { mode, nsp: '/nowhere' });
    assert.equal(err.message, 'Invalid namespace');
  });

  test('dynamic namespaces are created on demand', async (t) => {
    const s = await connect(t, server.url, { mode, nsp: '/dyn-42', record: ['hello'] });
    assert.deepEqual(await s.recorded.hello.next(), ['/dyn-42']);
    const err = await refused(t, server.url, { mode, nsp: '/dyn-x' });
    assert.equal(err.message, 'Invalid namespace');
  });
});
