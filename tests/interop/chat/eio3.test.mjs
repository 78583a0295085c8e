// The chat with --allow-eio3: a socket.io-client 2.5.0 page (Engine.IO 3,
// Socket.IO protocol 4) and a socket.io-client 4.x page in the same room.
// Text and files (binary) go both ways, over each of the v2 client's
// transports. Run against the Node twin too (SIO_CHAT_CMD=reference).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ioV2 from 'socket.io-client-v2';
import { startChat } from './lib/chat-server.mjs';
import { ChatClient, nextMatching } from './lib/sio-client.mjs';
import { DEFAULT_TIMEOUT_MS, EventQueue, nextEvent, withTimeout } from '../lib/wait.mjs';

const MODES_V2 = { websocket: ['websocket'], polling: ['polling'], upgrade: ['polling', 'websocket'] };

// A chat page on socket.io-client 2.x (no timeout(), no emitWithAck()).
class ChatClientV2 {
  static async connect(url, mode) {
    const socket = ioV2(url, { transports: MODES_V2[mode], forceNew: true, reconnection: false });
    const client = new ChatClientV2(socket);
    await nextEvent(socket, 'connect', { failOn: ['connect_error', 'error'] });
    if (mode === 'upgrade' && socket.io.engine.transport.name !== 'websocket') await nextEvent(socket.io.engine, 'upgrade');
    assert.equal(socket.io.engine.transport.name, mode === 'polling' ? 'polling' : 'websocket');
    return client;
  }

  constructor(socket) {
    this.socket = socket;
    this.clientId = `v2-${Math.random().toString(16).slice(2)}`;
    this.messages = new EventQueue(socket, 'message', (m) => m);
  }

  request(event, payload) {
    return withTimeout(new Promise((resolve) => this.socket.emit(event, payload, resolve)), DEFAULT_TIMEOUT_MS,
      `answer to '${event}'`);
  }

  async joined(nick, room) {
    const answer = await this.request('join', { nick, room, clientId: this.clientId });
    if (!answer.ok) throw new Error(`join ${nick}@${room} failed: ${JSON.stringify(answer)}`);
    return answer;
  }

  close() {
    this.socket.close();
  }
}

const pattern = (n, seed) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + seed) % 256));

let server;
const clients = [];
before(async () => {
  server = await startChat({ maxUpload: 4096, extra: ['--allow-eio3'] });
});
after(async () => {
  for (const c of clients) c.close();
  await server?.stop();
});

for (const mode of Object.keys(MODES_V2)) {
  describe(`a v2 page (${mode}) and a v4 page in one room`, () => {
    test('messages and files reach each other', async () => {
      const room = `mixed-${mode}`;
      const v2 = await ChatClientV2.connect(server.url, mode);
      clients.push(v2);
      const v4 = await ChatClient.connect(server.url, { transports: ['polling', 'websocket'] });
      clients.push(v4);
      await v2.joined('old', room);
      const joined = await v4.joined('new', room);
      assert.deepEqual([...joined.members].sort(), ['new', 'old']);

      // text, v2 -> v4 and v4 -> v2
      const sent = await v2.request('message', { text: 'from 2.x', cid: 'a1' });
      assert.equal(sent.ok, true);
      const got4 = await nextMatching(v4.messages, (m) => m.id === sent.id);
      assert.equal(got4.from, 'old');
      assert.equal(got4.text, 'from 2.x');
      const reply = await v4.say('from 4.x', 'b1');
      assert.equal(reply.ok, true);
      const got2 = await nextMatching(v2.messages, (m) => m.id === reply.id);
      assert.equal(got2.from, 'new');
      assert.equal(got2.text, 'from 4.x');

      // files (binary attachments), both ways
      const up2 = pattern(3000, 1);
      const f2 = await v2.request('upload', { name: 'a.bin', type: 'application/x-a', data: up2, cid: 'a2' });
      assert.equal(f2.ok, true);
      const file4 = await nextMatching(v4.messages, (m) => m.id === f2.id);
      assert.equal(file4.kind, 'file');
      assert.ok(Buffer.isBuffer(file4.file.data) && file4.file.data.equals(up2));
      const up4 = pattern(4096, 2);
      const f4 = await v4.request('upload', { name: 'b.bin', type: 'application/x-b', data: up4, cid: 'b2' });
      assert.equal(f4.ok, true);
      const file2 = await nextMatching(v2.messages, (m) => m.id === f4.id);
      assert.equal(file2.kind, 'file');
      assert.ok(Buffer.isBuffer(file2.file.data) && file2.file.data.equals(up4));
    });
  });
}
