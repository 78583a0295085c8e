// Raw WebSocket bytes over a plain TCP socket, for tests that must send what no
// client library would (frames in the upgrade's segment, floods, a peer that
// never reads), plus a look at a server process's open descriptors.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';

// The upgrade request for `target` ("/path?query").
export function upgradeRequest(target) {
  return (
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`
  );
}

// A client frame. `mask`: a 4-byte key (zero: the payload goes as it is, which
// keeps big frames cheap to build); `masked: false` breaks the rule on purpose.
// `length`: the length to declare, when it is not the payload's.
export function clientFrame(opcode, payload = Buffer.alloc(0), { fin = true, rsv = 0, masked = true, mask, length } = {}) {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const len = length ?? data.length;
  const head = [(fin ? 0x80 : 0) | rsv | opcode];
  const m = masked ? 0x80 : 0;
  if (len < 126) {
    head.push(m | len);
  } else if (len < 65536) {
    head.push(m | 126, len >> 8, len & 0xff);
  } else {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(len));
    head.push(m | 127, ...b);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), data]);
  const key = mask ?? randomBytes(4);
  const body = Buffer.from(data);
  if (key.some((b) => b !== 0)) for (let i = 0; i < body.length; ++i) body[i] ^= key[i % 4];
  return Buffer.concat([Buffer.from(head), key, body]);
}

// Opens a TCP connection to 127.0.0.1:port.
export async function tcpConnect(port) {
  const sock = net.connect(port, '127.0.0.1');
  await once(sock, 'connect');
  return sock;
}

// Server frames (unmasked) parsed from a growing byte stream.
export class FrameReader {
  constructor() {
    this.buf = Buffer.alloc(0);
  }
  // Appends bytes; returns the whole frames now available: { opcode, payload }.
  push(chunk) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames = [];
    for (;;) {
      if (this.buf.length < 2) break;
      let len = this.buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) break;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) break;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      if (this.buf.length < off + len) break;
      frames.push({ opcode: this.buf[0] & 0x0f, payload: this.buf.subarray(off, off + len) });
      this.buf = this.buf.subarray(off + len);
    }
    return frames;
  }
}

// How many sockets process `pid` has open (Linux /proc; other descriptors,
// such as an event loop's epoll set made on first use, are not counted).
export function openSockets(pid) {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) ++n;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

// Splits the server's 101 response off the front of `buf`: the bytes after
// it, or null while it is incomplete.
export function afterHttpResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  return end < 0 ? null : buf.subarray(end + 4);
}

// Polls `predicate` every `everyMs` until it holds (resolves true) or `ms` pass
// (resolves false). A bounded wait on a state, not a sleep.
export async function waitUntil(predicate, ms, everyMs = 50) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// A raw WebSocket client over TCP: sends the upgrade request (and `early`
// bytes in the same write), splits the server's 101 off, and keeps the frames
// that follow, to be taken by opcode.
export class RawPeer {
  static async open(port, target, early = Buffer.alloc(0)) {
    const p = new RawPeer();
    p.sock = await tcpConnect(port);
    p.reader = new FrameReader();
    p.frames = [];
    p.waiters = [];
    p.head = Buffer.alloc(0);
    p.upgraded = false;
    p.closed = once(p.sock, 'close');
    p.sock.on('data', (c) => {
      if (!p.upgraded) {
        p.head = Buffer.concat([p.head, c]);
        const rest = afterHttpResponse(p.head);
        if (rest === null) return;
        p.upgraded = true;
        c = rest;
      }
      for (const f of p.reader.push(c)) p.frames.push(f);
      p.wake();
    });
    p.sock.on('close', () => p.wake());
    p.sock.write(Buffer.concat([Buffer.from(upgradeRequest(target)), early]));
    return p;
  }
  wake() {
    for (const w of this.waiters.splice(0)) w();
  }
  // The status line of the server's answer to the upgrade request.
  status() {
    return this.head.subarray(0, this.head.indexOf('\r\n')).toString('latin1');
  }
  // The first frame with `opcode` not taken yet, or null once the socket closed.
  async next(opcode) {
    for (;;) {
      const i = this.frames.findIndex((f) => f.opcode === opcode);
      if (i >= 0) return this.frames.splice(i, 1)[0];
      if (this.sock.destroyed || this.sock.readableEnded) return null;
      await new Promise((r) => this.waiters.push(r));
    }
  }
  destroy() {
    this.sock.destroy();
  }
}
