// A raw TCP peer for the CVE replays: it writes exactly the bytes an attack
// sends (requests no HTTP client would form, frames no WebSocket client would
// send, resets mid-request) and reads the server's answer byte by byte: the
// HTTP response head and body, then, after a 101, the server's WebSocket frames.
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_TIMEOUT_MS, withTimeout } from '../../lib/wait.mjs';

// RFC 6455 section 1.3: the GUID a server appends to Sec-WebSocket-Key.
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class RawConnection {
  constructor(socket) {
    this.socket = socket;
    this.data = Buffer.alloc(0);
    this.waiters = [];
    this.ended = false; // the server closed (FIN, reset or error)
    this.error = null;
    socket.on('data', (chunk) => {
      this.data = Buffer.concat([this.data, chunk]);
      this.wake();
    });
    const end = (err) => {
      if (err && !this.error) this.error = err;
      this.ended = true;
      this.wake();
    };
    socket.on('end', () => end());
    socket.on('close', () => end());
    socket.on('error', (err) => end(err)); // a reset by the server is an answer too
    this.closed = new Promise((resolve) => socket.once('close', resolve));
  }

  // Resolves once connected to 127.0.0.1:port.
  static open(port, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    const conn = new RawConnection(socket);
    const connected = new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(conn));
      socket.once('error', reject);
    });
    return withTimeout(connected, timeoutMs, `TCP connect to port ${port}`);
  }

  // Writes bytes; resolves once the kernel has them (a write error, e.g. the
  // server having closed after a refusal, is not an error of the test).
  write(bytes) {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve(false);
      this.socket.write(bytes, (err) => resolve(!err));
    });
  }

  // Aborts the connection with a TCP RST (SO_LINGER 0), as a scanner or a
  // crashed client does.
  reset() {
    this.socket.resetAndDestroy();
  }

  destroy() {
    this.socket.destroy();
  }

  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  // Resolves with `pick(data)` once it returns something other than
  // undefined, re-checked on every arrival; rejects after `timeoutMs`, or once
  // the connection has ended with pick still undecided (pick is then given the
  // chance to decide on the final data with `ended` true).
  until(pick, what, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const attempt = (resolve, reject) => {
      let result;
      try {
        result = pick(this.data, this.ended);
      } catch (err) {
        return reject(err);
      }
      if (result !== undefined) return resolve(result);
      if (this.ended) {
        const why = this.error ? `${this.error.code ?? this.error.message}` : 'closed';
        return reject(new Error(`connection ${why} before ${what}; received ${describeBytes(this.data)}`));
      }
      this.waiters.push(() => attempt(resolve, reject));
    };
    return withTimeout(new Promise(attempt), timeoutMs, what);
  }

  // The HTTP response at the start of the received data:
  // { status, headers (lower-case names), body (Buffer), rest (bytes after it) }.
  // A response without Content-Length ends with the connection (or, for a 101,
  // at its head).
  response(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.until((data, ended) => parseResponse(data, ended), 'an HTTP response', timeoutMs);
  }

  // Resolves once the server has closed the connection (FIN or reset).
  waitEnd(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.until((_, ended) => (ended ? true : undefined), 'the server to close the connection', timeoutMs);
  }
}

// Parses an HTTP/1.1 response from `data`; undefined while incomplete.
export function parseResponse(data, ended = false) {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const lines = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!m) throw new Error(`not an HTTP response: ${describeBytes(data)}`);
  const status = Number(m[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const start = headEnd + 4;
  if (status === 101) return { status, headers, body: Buffer.alloc(0), rest: data.subarray(start) };
  if (headers['content-length'] !== undefined) {
    const end = start + Number(headers['content-length']);
    if (data.length < end) return undefined;
    return { status, headers, body: data.subarray(start, end), rest: data.subarray(end) };
  }
  if (!ended) return undefined;
  return { status, headers, body: data.subarray(start), rest: Buffer.alloc(0) };
}

// A request head (request line, header lines, blank line) as bytes.
// `headers` is a list of [name, value] pairs, sent in that order as
// "name: value"; a null value is written "name:" (no optional whitespace),
// the shortest field there is.
export function requestHead(method, target, headers) {
  let head = `${method} ${target} HTTP/1.1\r\n`;
  for (const [name, value] of headers) head += value === null ? `${name}:\r\n` : `${name}: ${value}\r\n`;
  return Buffer.from(head + '\r\n', 'latin1');
}

// The header lines of a WebSocket upgrade request (RFC 6455 section 4.1),
// with a fresh key; `accept` is the Sec-WebSocket-Accept the server must answer.
export function websocketUpgradeHeaders(port) {
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
  return {
    accept,
    headers: [
      ['Host', `127.0.0.1:${port}`],
      ['Connection', 'Upgrade'],
      ['Upgrade', 'websocket'],
      ['Sec-WebSocket-Version', '13'],
      ['Sec-WebSocket-Key', key],
    ],
  };
}

// A client frame (masked, as RFC 6455 section 5.3 requires).
// `first` is the first byte (FIN, RSV1-3, opcode).
export function clientFrame(first, payload = Buffer.alloc(0)) {
  const mask = randomBytes(4);
  const len = payload.length;
  let head;
  if (len < 126) {
    head = Buffer.from([first, 0x80 | len]);
  } else if (len < 65536) {
    head = Buffer.alloc(4);
    head[0] = first;
    head[1] = 0x80 | 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = first;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] ^= mask[i % 4];
  return Buffer.concat([head, mask, masked]);
}

export const textFrame = (text) => clientFrame(0x81, Buffer.from(text, 'utf8'));
export const binaryFrame = (bytes) => clientFrame(0x82, Buffer.from(bytes));

// Server frames (unmasked) parsed from `data`: [{ opcode, payload }], plus the
// bytes of an incomplete last frame left in `partial`.
export function parseServerFrames(data) {
  const frames = [];
  let i = 0;
  for (;;) {
    if (data.length - i < 2) break;
    const opcode = data[i] & 0x0f;
    let len = data[i + 1] & 0x7f;
    let off = i + 2;
    if (len === 126) {
      if (data.length - i < 4) break;
      len = data.readUInt16BE(i + 2);
      off = i + 4;
    } else if (len === 127) {
      if (data.length - i < 10) break;
      len = Number(data.readBigUInt64BE(i + 2));
      off = i + 10;
    }
    if (data.length < off + len) break;
    frames.push({ opcode, payload: data.subarray(off, off + len) });
    i = off + len;
  }
  return { frames, partial: data.subarray(i) };
}

// The close code of a close frame's payload (1005 when it carries none).
export function closeCodeOf(frame) {
  return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
}

// For assertion messages: the first bytes received, printable.
export function describeBytes(data, max = 300) {
  const text = data.subarray(0, max).toString('latin1').replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${data.length} bytes: "${text}${data.length > max ? '...' : ''}"`;
}
