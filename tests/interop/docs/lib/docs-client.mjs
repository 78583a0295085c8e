// A sio-docs page in Node: socket.io-client plus the page's own DocClient
// (web/docs/ot.js), wired as web/docs/docs.js wires it, without the DOM.
import { io } from 'socket.io-client';
import { Builder, codePoints, DocClient } from '../../../../web/docs/ot.js';
import { DEFAULT_TIMEOUT_MS, nextEvent, withTimeout } from '../../lib/wait.mjs';
import { randomInt, randomText } from './random.mjs';

export class DocsPeer {
  static async open(url, name) {
    const peer = new DocsPeer(url, name);
    await peer.connected();
    return peer;
  }

  constructor(url, name) {
    this.name = name;
    this.clientId = `${name}-${Math.random().toString(16).slice(2)}`;
    this.errors = [];
    this.concurrent = 0;
    this.epoch = 0;
    this.joined = false;
    this.socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.client = new DocClient({
      send: (revision, seq, op) => {
        if (!this.socket.connected) return;
        const sentIn = this.epoch;
        this.socket.emit('op', { revision, seq, op }, (answer) => {
          if (sentIn !== this.epoch || this.client.inflight?.seq !== seq) return;
          if (answer?.ok) this.client.ack(answer.revision);
          else {
            this.errors.push(answer);
            this.client.online = false; // as the page: reload the whole text
            this.client.inflight = null;
            this.client.buffer = null;
            this.joined = false;
            this.join();
          }
        });
      },
    });
    this.socket.on('connect', () => {
      this.epoch += 1;
      this.join();
    });
    this.socket.on('disconnect', () => {
      this.epoch += 1;
      this.client.online = false;
    });
    this.socket.on('op', ({ revision, op }) => {
      if (!this.joined || !this.client.online) return;
      if (!this.client.synchronized) this.concurrent += 1; // transformed past an edit of ours
      this.client.remote(op, revision);
    });
  }

  join() {
    const sentIn = this.epoch;
    const req = { name: this.name, clientId: this.clientId };
    if (this.joined) req.revision = this.client.revision;
    this.socket.emit('join', req, (answer) => {
      if (sentIn !== this.epoch) return;
      if (!answer?.ok) {
        this.errors.push(answer);
        return;
      }
      const { lost } = this.client.resync(answer);
      if (lost) this.errors.push({ lost: true });
      this.joined = true;
      this.answer = answer;
    });
  }

  // Resolves once joined on the current connection.
  async connected() {
    await this.until(() => this.client.online && this.joined, 'joined');
  }

  // Waits (bounded) for `cond` to hold, checking after every event.
  async until(cond, what, ms = DEFAULT_TIMEOUT_MS * 2) {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`${this.name}: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // A random insert or delete at a random place of this page's text.
  randomEdit(rand) {
    const len = codePoints(this.client.text).length;
    const at = randomInt(rand, len + 1);
    const b = new Builder().retain(at);
    if (len > at && rand() < 0.35) {
      const n = 1 + randomInt(rand, Math.min(4, len - at));
      b.remove(n).retain(len - at - n);
    } else b.insert(randomText(rand)).retain(len - at);
    this.client.local(b.done());
  }

  // The connection dies under the page (no Socket.IO disconnect is sent).
  async drop() {
    const gone = nextEvent(this.socket, 'disconnect');
    this.socket.io.engine.close();
    await gone;
  }

  async reconnect() {
    this.socket.connect();
    await this.connected();
  }

  request(event, payload) {
    return withTimeout(this.socket.timeout(DEFAULT_TIMEOUT_MS).emitWithAck(event, payload), DEFAULT_TIMEOUT_MS + 500, event);
  }

  close() {
    this.socket.close();
  }
}

// The server's text and revision, as a late joiner gets them.
export async function serverText(url) {
  const peer = await DocsPeer.open(url, 'observer');
  const { text, revision } = { text: peer.client.text, revision: peer.client.revision };
  peer.close();
  return { text, revision };
}
