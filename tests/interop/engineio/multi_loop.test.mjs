// engineio-echo on two event loops: a session lives on one loop, while the
// kernel spreads the polling requests' connections over both. Requests for a
// session that arrive on the other loop are handed over and answered back;
// with "Connection: close" (as node's socket.io-client sends) the answer must
// still be written before the connection is dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProgram, engineIoEchoCommand } from '../lib/server.mjs';
import { eioUrl, heldRequest } from '../lib/http.mjs';

const ROUNDS = 40;  // connections land on either loop: many rounds cross loops

test('polling across two loops: every POST and GET is answered, in order', async (t) => {
  const server = await startProgram(engineIoEchoCommand(), ['--port', '0', '--path', '/engine.io/', '--threads', '2',
    '--ping-interval', '20000', '--ping-timeout', '20000'], { label: 'engineio-echo-2loops' });
  t.after(() => server.stop());
  const close = { Connection: 'close', 'Content-Type': 'text/plain;charset=UTF-8' };

  const hs = await heldRequest(eioUrl(server.url, { EIO: 4, transport: 'polling' }), { headers: close }).response;
  assert.equal(hs.status, 200);
  const sid = JSON.parse(hs.text.slice(1)).sid;
  const url = eioUrl(server.url, { EIO: 4, transport: 'polling', sid });

  for (let i = 0; i < ROUNDS; i++) {
    const get = heldRequest(url, { headers: close });
    await get.sent;
    const post = await heldRequest(url, { method: 'POST', body: `4round ${i}`, headers: close }).response;
    assert.equal(post.status, 200, `POST ${i}`);
    assert.equal(post.text, 'ok');
    const echoed = await get.response;
    assert.equal(echoed.status, 200, `GET ${i}`);
    assert.equal(echoed.text, `4round ${i}`);
  }
});
