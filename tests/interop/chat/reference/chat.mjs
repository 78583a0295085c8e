// The chat of apps/sio-chat/PROTOCOL.md on the npm `socket.io` server: the behaviour
// build/bin/sio-chat must match. One instance per server; state is in memory.
import { randomBytes } from 'node:crypto';
import { FloodGuard } from './limiter.mjs';
import {
  LIMITS, MESSAGES, checkNick, checkRoom, checkText, cidOk, codePoints, fail, isPlainObject,
  nickKey, normaliseType, trimAscii,
} from './rules.mjs';

const DEFAULT_ROOM = 'general'; // always listed, never forgotten
const SHUTDOWN_ACK_MS = 1000; // how long a shutdown waits for clients to confirm the notice
const REQUEST_EVENTS = new Set(['join', 'message', 'dm', 'upload', 'history-since', 'rooms']);

class Room {
  constructor(name) {
    this.name = name;
    this.members = new Map(); // socket id -> socket
    this.history = []; // Message, oldest first
    this.lastActive = Date.now();
  }

  nicks() {
    return [...this.members.values()].map((s) => s.data.nick);
  }

  holder(nick) {
    const key = nickKey(nick);
    for (const s of this.members.values()) if (nickKey(s.data.nick) === key) return s;
    return null;
  }
}

export class Chat {
  constructor(io, { history = 100, maxUpload = 1048576, log = () => {} } = {}) {
    this.io = io;
    this.historySize = history;
    this.maxUpload = maxUpload;
    this.log = log;
    this.run = randomBytes(4).toString('hex'); // makes ids unique across restarts
    this.seq = 0;
    this.rooms = new Map([[DEFAULT_ROOM, new Room(DEFAULT_ROOM)]]);
    this.answered = new Map(); // clientId \0 cid -> first answer (insertion order = age)
    io.on('connection', (socket) => this.accept(socket));
  }

  limits() {
    return {
      maxUpload: this.maxUpload, maxText: LIMITS.maxText, maxNick: LIMITS.maxNick,
      maxRoom: LIMITS.maxRoom, history: this.historySize,
    };
  }

  roomList() {
    return [...this.rooms.values()]
      .map((r) => ({ name: r.name, members: r.members.size }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  broadcastRooms() {
    this.io.emit('rooms', this.roomList());
  }

  accept(socket) {
    socket.data = { nick: null, room: null, clientId: null, guard: new FloodGuard() };
    this.log('debug', `connect ${socket.id} (${socket.conn.transport.name})`);
    socket.use((packet, next) => this.admit(socket, packet, next));
    // The payload is the first argument, the callback (if any) the last one;
    // anything in between is ignored.
    const handle = (event, fn) => socket.on(event, (...args) => {
      const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
      const answer = fn(args[0]);
      if (ack) ack(answer);
    });
    handle('join', (p) => this.join(socket, p));
    handle('message', (p) => this.message(socket, p));
    handle('dm', (p) => this.dm(socket, p));
    handle('upload', (p) => this.upload(socket, p));
    handle('history-since', (p) => this.historySince(socket, p));
    handle('rooms', () => ({ ok: true, rooms: this.roomList() }));
    socket.on('typing', () => this.typing(socket));
    socket.on('disconnect', (reason) => {
      this.log('debug', `disconnect ${socket.id} (${reason})`);
      this.leave(socket);
    });
    socket.emit('rooms', this.roomList());
  }

  // Flood control in front of every event; unknown events are charged and dropped.
  admit(socket, [event, ...args], next) {
    const verdict = socket.data.guard.admit(event === 'typing');
    const ack = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : null;
    if (verdict === 'kick') {
      this.log('warn', `disconnecting ${socket.id}: flood`);
      socket.emit('kicked', { reason: 'flood', message: 'Disconnected for sending too many requests.' });
      socket.disconnect(true);
      return;
    }
    if (verdict === 'refused') {
      if (ack) ack(fail('rate-limited'));
      return;
    }
    if (event !== 'typing' && !REQUEST_EVENTS.has(event)) return;
    next();
  }

  join(socket, p) {
    if (!isPlainObject(p) || typeof p.nick !== 'string' || typeof p.room !== 'string' ||
        (p.clientId !== undefined && typeof p.clientId !== 'string')) {
      return fail('bad-request');
    }
    const nick = trimAscii(p.nick);
    const roomName = trimAscii(p.room);
    const bad = checkNick(nick) ?? checkRoom(roomName);
    if (bad) return fail(bad);
    const clientId = typeof p.clientId === 'string' ? p.clientId.slice(0, 128) : null;

    let room = this.rooms.get(roomName);
    if (room) {
      const holder = room.holder(nick);
      if (holder && holder !== socket) {
        if (!clientId || holder.data.clientId !== clientId) return fail('nick-taken');
        // The same tab, whose previous connection has not been seen to drop yet.
        this.leave(holder);
        holder.disconnect(true);
      }
    } else {
      if (!this.makeRoomFor()) return fail('too-many-rooms');
      room = new Room(roomName);
      this.rooms.set(roomName, room);
    }

    const previous = socket.data.room;
    const answer = () => ({
      ok: true, nick, room: roomName, members: room.nicks(),
      history: p.resume === true ? [] : room.history, limits: this.limits(),
    });
    if (previous === roomName && socket.data.nick === nick) return answer(); // already there
    if (previous !== null) this.leave(socket, { keepRooms: true });
    socket.data.nick = nick;
    socket.data.room = roomName;
    socket.data.clientId = clientId;
    room.members.set(socket.id, socket);
    room.lastActive = Date.now();
    socket.join(roomName);
    this.log('info', `${nick} joined ${roomName}`);
    this.io.to(roomName).emit('presence', { room: roomName, members: room.nicks(), joined: nick });
    this.broadcastRooms();
    return answer();
  }

  // Forgets the quietest empty room when the room table is full. False when all are busy.
  makeRoomFor() {
    if (this.rooms.size < LIMITS.maxRooms) return true;
    let victim = null;
    for (const r of this.rooms.values()) {
      if (r.name === DEFAULT_ROOM || r.members.size) continue;
      if (!victim || r.lastActive < victim.lastActive) victim = r;
    }
    if (!victim) return false;
    this.rooms.delete(victim.name);
    return true;
  }

  leave(socket, { keepRooms = false } = {}) {
    const { room: name, nick } = socket.data;
    const room = name === null ? null : this.rooms.get(name);
    socket.data.room = null;
    if (!room || !room.members.delete(socket.id)) return;
    socket.leave(name);
    this.log('info', `${nick} left ${name}`);
    this.io.to(name).emit('presence', { room: name, members: room.nicks(), left: nick });
    if (!keepRooms) this.broadcastRooms();
  }

  currentRoom(socket) {
    return socket.data.room === null ? null : this.rooms.get(socket.data.room);
  }

  // De-duplication of re-sent requests: runs `deliver` once per (clientId, cid).
  once(socket, cid, deliver) {
    if (cid === undefined || !socket.data.clientId) return deliver();
    const key = `${socket.data.clientId}\u0000${cid}`;
    const seen = this.answered.get(key);
    if (seen) return seen;
    const answer = deliver();
    if (answer.ok) {
      this.answered.set(key, answer);
      if (this.answered.size > LIMITS.rememberedCids) {
        this.answered.delete(this.answered.keys().next().value);
      }
    }
    return answer;
  }

  nextId() {
    this.seq += 1;
    return `${this.run}-${this.seq}`;
  }

  record(room, msg) {
    room.history.push(msg);
    if (room.history.length > this.historySize) room.history.splice(0, room.history.length - this.historySize);
    room.lastActive = msg.time;
    // Keep the newest attachments' bytes within budget; older ones expire.
    let kept = 0;
    for (let i = room.history.length - 1; i >= 0; i--) {
      const f = room.history[i].file;
      if (!f || !f.data) continue;
      if (kept + f.size > LIMITS.historyAttachmentBytes) {
        delete f.data;
        f.expired = true;
      } else {
        kept += f.size;
      }
    }
  }

  message(socket, p) {
    const room = this.currentRoom(socket);
    if (!room) return fail('not-joined');
    if (!isPlainObject(p) || typeof p.text !== 'string' || !cidOk(p.cid)) return fail('bad-request');
    const bad = checkText(p.text);
    if (bad) return fail(bad);
    return this.once(socket, p.cid, () => {
      const msg = { id: this.nextId(), room: room.name, from: socket.data.nick, time: Date.now(), kind: 'text', text: p.text };
      this.record(room, msg);
      socket.data.lastTyping = 0; // the next keystroke shows "typing" again
      socket.to(room.name).emit('message', msg);
      return { ok: true, id: msg.id, time: msg.time };
    });
  }

  dm(socket, p) {
    const room = this.currentRoom(socket);
    if (!room) return fail('not-joined');
    if (!isPlainObject(p) || typeof p.to !== 'string' || typeof p.text !== 'string' || !cidOk(p.cid)) {
      return fail('bad-request');
    }
    const bad = checkText(p.text);
    if (bad) return fail(bad);
    const target = room.holder(trimAscii(p.to));
    if (!target) return fail('no-such-user');
    if (target === socket) return fail('self');
    return this.once(socket, p.cid, () => {
      const msg = { id: this.nextId(), from: socket.data.nick, to: target.data.nick, time: Date.now(), text: p.text };
      target.emit('dm', msg);
      return { ok: true, id: msg.id, time: msg.time };
    });
  }

  upload(socket, p) {
    const room = this.currentRoom(socket);
    if (!room) return fail('not-joined');
    if (!isPlainObject(p) || typeof p.name !== 'string' || !Buffer.isBuffer(p.data) || !cidOk(p.cid) ||
        (p.type !== undefined && typeof p.type !== 'string')) {
      return fail('bad-request');
    }
    if (p.data.length > this.maxUpload) {
      return fail('too-large', `The file is larger than the upload limit (${formatBytes(this.maxUpload)}).`);
    }
    const name = trimAscii(p.name);
    if (codePoints(name) === 0 || codePoints(name) > LIMITS.maxFileName) return fail('bad-request');
    return this.once(socket, p.cid, () => {
      const file = { name, type: normaliseType(p.type), size: p.data.length, data: p.data };
      const msg = { id: this.nextId(), room: room.name, from: socket.data.nick, time: Date.now(), kind: 'file', file };
      this.record(room, msg);
      socket.to(room.name).emit('message', msg);
      return { ok: true, id: msg.id, time: msg.time };
    });
  }

  historySince(socket, p) {
    const room = this.currentRoom(socket);
    if (!isPlainObject(p) || typeof p.room !== 'string' || (p.since !== undefined && p.since !== null && typeof p.since !== 'string')) {
      return fail('bad-request');
    }
    if (!room || room.name !== trimAscii(p.room)) return fail('not-joined');
    const at = typeof p.since === 'string' ? room.history.findIndex((m) => m.id === p.since) : -1;
    if (at < 0) return { ok: true, messages: room.history, reset: true };
    return { ok: true, messages: room.history.slice(at + 1), reset: false };
  }

  typing(socket) {
    const room = this.currentRoom(socket);
    if (!room) return;
    const now = Date.now();
    if (socket.data.lastTyping && now - socket.data.lastTyping < 1000) return; // once a second
    socket.data.lastTyping = now;
    socket.volatile.to(room.name).emit('typing', { room: room.name, nick: socket.data.nick });
  }

  // Tells everyone and waits for their acknowledgements (at most SHUTDOWN_ACK_MS),
  // then closes the connections without a Socket.IO disconnect, so that the
  // clients reconnect by themselves (to this server's successor).
  shutdown(done) {
    this.io.timeout(SHUTDOWN_ACK_MS).emit('server-shutdown', { message: 'The server is shutting down.' }, () => {
      this.io.engine.close();
      done();
    });
  }
}

export function formatBytes(n) {
  if (n >= 1048576 && n % 1048576 === 0) return `${n / 1048576} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

export { MESSAGES };
