// A sio-game player in Node, on the official socket.io-client: requests with
// acknowledgements, and bounded waits on snapshots ("state" events).
import { io } from 'socket.io-client';
import { DEFAULT_TIMEOUT_MS, nextEvent, withTimeout } from '../../lib/wait.mjs';

export class GamePlayer {
  static async connect(url, { transports = ['websocket'] } = {}) {
    const socket = io(url, { transports, reconnection: false, forceNew: true });
    const player = new GamePlayer(socket);
    await nextEvent(socket, 'connect', { failOn: ['connect_error'] });
    return player;
  }

  constructor(socket) {
    this.socket = socket;
    this.last = null;      // the newest snapshot
    this.errors = [];      // "game-error" events
    this.watchers = new Set();
    this.seq = 0;
    socket.on('state', (s) => {
      this.last = s;
      for (const w of [...this.watchers]) w(s);
    });
    socket.on('game-error', (e) => {
      this.errors.push(e);
      for (const w of [...this.watchers]) w(null);
    });
    this.disconnected = new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
  }

  request(event, ...args) {
    return withTimeout(this.socket.timeout(DEFAULT_TIMEOUT_MS).emitWithAck(event, ...args), DEFAULT_TIMEOUT_MS + 500,
      `answer to '${event}'`);
  }

  async joined(room, name, token) {
    const answer = await this.request('join', { room, name, token });
    if (!answer.ok) throw new Error(`join ${name}@${room} failed: ${JSON.stringify(answer)}`);
    this.you = answer.you;
    this.token = answer.token;
    this.room = answer.room;
    return answer;
  }

  // Sends the next input (numbered from the last one).
  move(dx, dy) {
    this.seq += 1;
    this.socket.emit('input', { seq: this.seq, dx, dy });
    return this.seq;
  }

  // Resolves with the first snapshot (the newest one included) for which `pred` holds.
  waitState(pred, what = 'a snapshot', timeoutMs = DEFAULT_TIMEOUT_MS) {
    if (this.last && pred(this.last)) return Promise.resolve(this.last);
    let watcher;
    const found = new Promise((resolve) => {
      watcher = (s) => { if (s && pred(s)) resolve(s); };
      this.watchers.add(watcher);
    });
    return withTimeout(found, timeoutMs, what).finally(() => this.watchers.delete(watcher));
  }

  // Resolves once a "game-error" with `code` has arrived.
  waitError(code, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const has = () => this.errors.find((e) => e.error === code);
    if (has()) return Promise.resolve(has());
    let watcher;
    const found = new Promise((resolve) => {
      watcher = () => { if (has()) resolve(has()); };
      this.watchers.add(watcher);
    });
    return withTimeout(found, timeoutMs, `game-error ${code}`).finally(() => this.watchers.delete(watcher));
  }

  close() {
    this.socket.disconnect();
  }
}

export const playerIn = (s, id) => s.players.find((p) => p.id === id);
