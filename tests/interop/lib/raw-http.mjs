// HTTP/1.1 over a raw TCP socket, for requests no HTTP client will send
// (smuggling-shaped framing, hundreds of header fields, pipelining): the test
// writes the exact bytes and reads back every response in order.
import net from 'node:net';
import tls from 'node:tls';
import { DEFAULT_TIMEOUT_MS } from './wait.mjs';

// Parses complete responses (Content-Length framed, as our servers send them)
// off the front of `buf`; returns [responses, rest].
function parseResponses(buf) {
  const out = [];
  for (;;) {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = buf.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(head[0])?.[1]);
    const headers = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = status === 101 ? 0 : Number(headers['content-length'] ?? 0);
    if (buf.length < end + 4 + length) break;
    out.push({ status, headers, body: buf.subarray(end + 4, end + 4 + length).toString('utf8') });
    buf = buf.subarray(end + 4 + length);
    if (status === 101) break; // what follows is WebSocket frames
  }
  return [out, buf];
}

// A raw connection to 127.0.0.1:`port`. write() sends bytes as given;
// responses(n) resolves once n responses arrived; closed() once the server
// closed the connection (with whatever responses came before). `tlsOptions`:
// the same over TLS (node's tls.connect options: ca, ...).
export class RawHttp {
  constructor(port, tlsOptions = null) {
    this.sock = tlsOptions
      ? tls.connect({ host: '127.0.0.1', port, ...tlsOptions })
      : net.connect(port, '127.0.0.1');
    this.buf = Buffer.alloc(0);
    this.got = [];
    this.ended = false;
    this.error = null;
    this.waiters = [];
    this.sock.on('data', (chunk) => {
      const [parsed, rest] = parseResponses(Buffer.concat([this.buf, chunk]));
      this.got.push(...parsed);
      this.buf = rest;
      this.wake();
    });
    this.sock.on('error', (err) => {
      this.error = err; // a reset after the last response is reported through `error`
    });
    this.sock.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  write(bytes) {
    this.sock.write(bytes);
  }

  // Resolves once `bytes` were handed to the kernel (each such write goes
  // out as its own segment on loopback).
  send(bytes) {
    return new Promise((resolve) => this.sock.write(bytes, () => resolve()));
  }

  wake() {
    this.waiters = this.waiters.filter((w) => !w());
  }

  until(done, what, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.describe()}`)),
        timeoutMs,
      );
      const check = () => {
        if (!done()) return false;
        clearTimeout(timer);
        resolve(this.got);
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  // Resolves with the responses once `n` have arrived; rejects if the
  // connection ends first or nothing comes in time.
  async responses(n, timeoutMs = DEFAULT_TIMEOUT_MS) {
    await this.until(() => this.got.length >= n || this.ended, `${n} responses`, timeoutMs);
    if (this.got.length < n) throw new Error(`connection ended after ${this.describe()}, expected ${n} responses`);
    return this.got;
  }

  // Resolves with every response once the server has closed the connection.
  closed(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.until(() => this.ended, 'the server to close the connection', timeoutMs);
  }

  describe() {
    const statuses = this.got.map((r) => r.status).join(', ');
    return `${this.got.length} responses [${statuses}]${this.ended ? ', closed' : ''}${this.error ? ` (${this.error.code})` : ''}`;
  }

  destroy() {
    this.sock.destroy();
  }
}

// Sends `bytes` on a fresh connection and resolves with every response the
// server sent before it closed the connection.
export async function exchangeUntilClose(port, bytes, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const conn = new RawHttp(port);
  try {
    conn.write(bytes);
    return await conn.closed(timeoutMs);
  } finally {
    conn.destroy();
  }
}
