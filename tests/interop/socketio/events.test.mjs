// Events and acknowledgements with the official socket.io-client: several
// arguments, acks asked by either side, an ack timeout on the server, and
// binary data (Buffers at the top level and nested) in events and acks, both
// ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ask, bytes, connect, forEachSetup } from './helpers.mjs';

forEachSetup((server, mode) => {
  test('events carry several arguments', async (t) => {
    const s = await connect(t, server.url, { mode, record: ['echo'] });
    const args = [1, 'two', { three: [3, 3.5, -0.25] }, null, true, 'é\n"'];
    s.emit('echo', ...args);
    assert.deepEqual(await s.recorded.echo.next(), args);
  });

  test('the client asks for an acknowledgement', async (t) => {
    const s = await connect(t, server.url, { mode });
    assert.deepEqual(await ask(s, 'ack', 'a', 2, { b: [] }), ['a', 2, { b: [] }]);
    assert.deepEqual(await ask(s, 'ack'), []);
  });

  test('the server asks for an acknowledgement', async (t) => {
    const s = await connect(t, server.url, { mode });
    s.on('question', (a, b, cb) => cb(a + b, 'sum'));
    assert.deepEqual(await ask(s, 'server-ask', 'question', 0, 2, 3), ['ok', 5, 'sum']);
    // with a timeout that is not reached
    assert.deepEqual(await ask(s, 'server-ask', 'question', 5000, 4, 5), ['ok', 9, 'sum']);
  });

  test('an acknowledgement the client never sends times out on the server', async (t) => {
    const s = await connect(t, server.url, { mode });
    s.on('silent', () => {});
    assert.deepEqual(await ask(s, 'server-ask', 'silent', 200), ['error', 'operation has timed out']);
  });

  test('binary in events, at the top level and nested', async (t) => {
    const s = await connect(t, server.url, { mode, record: ['echo'] });
    s.emit('echo', Buffer.from([1, 2, 3]), { nested: { b: Buffer.from('xy') }, list: [Buffer.from([0]), 1] }, 'text');
    const [top, nested, text] = await s.recorded.echo.next();
    assert.deepEqual(bytes(top), [1, 2, 3]);
    assert.deepEqual(bytes(nested.nested.b), [120, 121]);
    assert.deepEqual(bytes(nested.list[0]), [0]);
    assert.equal(nested.list[1], 1);
    assert.equal(text, 'text');
  });

  test('binary in acknowledgements, both ways', async (t) => {
    const s = await connect(t, server.url, { mode });
    // the client's ack carries binary to the server, which sends it back in its own ack
    s.on('question', (cb) => cb({ file: Buffer.from([7, 8]) }, Buffer.from([9])));
    const [status, reply, top] = await ask(s, 'server-ask', 'question', 0);
    assert.equal(status, 'ok');
    assert.deepEqual(bytes(reply.file), [7, 8]);
    assert.deepEqual(bytes(top), [9]);
    // the server's ack to the client's event
    const [echoed] = await ask(s, 'ack', { deep: [Buffer.from([5])] });
    assert.deepEqual(bytes(echoed.deep[0]), [5]);
  });

  test('binary built by the server', async (t) => {
    const s = await connect(t, server.url, { mode, record: ['binary'] });
    const [ackBytes] = await ask(s, 'send-binary');
    assert.deepEqual(bytes(ackBytes), [9, 9]);
    const [top, nested] = await s.recorded.binary.next();
    assert.deepEqual(bytes(top), [1, 2, 3]);
    assert.equal(nested.name, 'nested');
    assert.deepEqual(bytes(nested.deep.bytes), [4, 5]);
    assert.deepEqual(bytes(nested.list[0]), [6]);
    assert.equal(nested.list[1], 7);
  });

  test('events to a namespace stay in it', async (t) => {
    const main = await connect(t, server.url, { mode, record: ['echo'] });
    const custom = await connect(t, server.url, { mode, nsp: '/custom', record: ['echo'] });
    custom.emit('echo', 'custom');
    main.emit('echo', 'main');
    assert.deepEqual(await custom.recorded.echo.next(), ['custom']);
    assert.deepEqual(await main.recorded.echo.next(), ['main']);
    // a round trip on each after both echoes: anything stray would have come first
    await ask(main, 'ack');
    await ask(custom, 'ack');
    assert.equal(main.recorded.echo.items.length, 0);
    assert.equal(custom.recorded.echo.items.length, 0);
  });
});
