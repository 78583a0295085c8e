// Chat clients in Node, on the official socket.io-client, for the server-side rules.
import { io } from 'socket.io-client';
import { DEFAULT_TIMEOUT_MS, EventQueue, nextEvent, withTimeout } from '../../lib/wait.mjs';

export class ChatClient {
  // Connects and records every `message`, `dm`, `presence`, `rooms`, `typing` from the start.
  static async connect(url, { transports = ['websocket'], clientId } = {}) {
    const socket = io(url, { transports, reconnection: false, forceNew: true });
    const client = new ChatClient(socket, clientId);
    await nextEvent(socket, 'connect', { failOn: ['connect_error'] });
    return client;
  }

  constructor(socket, clientId = `test-${Math.random().toString(16).slice(2)}`) {
    this.socket = socket;
    this.clientId = clientId;
    this.messages = new EventQueue(socket, 'message', (m) => m);
    this.dms = new EventQueue(socket, 'dm', (m) => m);
    this.presence = new EventQueue(socket, 'presence', (p) => p);
    this.rooms = new EventQueue(socket, 'rooms', (r) => r);
    this.typing = new EventQueue(socket, 'typing', (t) => t);
    this.disconnected = new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  }

  // Emits with an acknowledgement; resolves with the answer.
  request(event, ...args) {
    return withTimeout(this.socket.timeout(DEFAULT_TIMEOUT_MS).emitWithAck(event, ...args), DEFAULT_TIMEOUT_MS + 500, `answer to '${event}'`);
  }

  join(nick, room = 'general', extra = {}) {
    return this.request('join', { nick, room, clientId: this.clientId, ...extra });
  }

  async joined(nick, room = 'general') {
    const answer = await this.join(nick, room);
    if (!answer.ok) throw new Error(`join ${nick}@${room} failed: ${JSON.stringify(answer)}`);
    return answer;
  }

  say(text, cid) {
    return this.request('message', cid === undefined ? { text } : { text, cid });
  }

  waitDisconnect(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return withTimeout(this.disconnected, timeoutMs, 'disconnect');
  }

  close() {
    this.socket.disconnect();
  }
}

// Reads `queue` until an item satisfies `pred`; returns it (earlier ones are dropped).
export async function nextMatching(queue, pred, timeoutMs = DEFAULT_TIMEOUT_MS) {
  for (;;) {
    const item = await queue.next(timeoutMs);
    if (pred(item)) return item;
  }
}
