// A hand-driven Engine.IO v4 peer: polling sessions over raw HTTP and raw WebSocket
// connections (npm `ws`), so tests can send exactly the bytes they mean.
import WebSocket from 'ws';
import http from 'node:http';
import { eioUrl, heldRequest, httpFetch } from './http.mjs';
import { DEFAULT_TIMEOUT_MS, EventQueue, withTimeout } from './wait.mjs';

// Record separator between packets of a polling payload (protocol v4).
export const SEPARATOR = '\x1e';

// Splits a polling payload into its encoded packets.
export function splitPayload(text) {
  return text.split(SEPARATOR);
}

// Parses an open packet ("0{...}") into its JSON object.
export function parseOpenPacket(packet) {
  if (typeof packet !== 'string' || packet[0] !== '0') {
    throw new Error(`expected an open packet, got ${JSON.stringify(packet)}`);
  }
  return JSON.parse(packet.slice(1));
}

// A polling session opened by a handshake GET.
//
// The handshake goes over a keep-alive connection of the session's own agent, which
// hold() then reuses: a held poll thus reaches the server ahead of requests a test
// sends afterwards on other connections (the tests that need "a poll is pending"
// rely on this order; there is no way to observe it without consuming the poll).
export class PollingSession {
  constructor(base, handshake, agent, enginePath = '/engine.io/') {
    this.base = base;
    this.enginePath = enginePath;
    this.handshake = handshake;
    this.sid = handshake.sid;
    this.agent = agent;
  }

  static async open(base, enginePath = '/engine.io/') {
    const agent = new http.Agent({ keepAlive: true });
    const res = await heldRequest(eioUrl(base, { EIO: 4, transport: 'polling' }, enginePath), { agent }).response;
    if (res.status !== 200) throw new Error(`handshake answered ${res.status}: ${res.text}`);
    return new PollingSession(base, parseOpenPacket(res.text), agent, enginePath);
  }

  // Starts a poll on the handshake's connection; see heldRequest for the result.
  hold(extra = {}) {
    return heldRequest(this.url(extra), { agent: this.agent });
  }

  // Starts a POST on the handshake's connection whose body is only partly sent;
  // finish() on the result sends the rest.
  holdPost(firstPart) {
    return heldRequest(this.url(), { method: 'POST', body: firstPart, agent: this.agent, unfinished: true });
  }

  url(extra = {}) {
    return eioUrl(this.base, { EIO: 4, transport: 'polling', sid: this.sid, ...extra }, this.enginePath);
  }

  get(opts = {}) {
    return httpFetch(this.url(), { ...opts, method: 'GET' });
  }

  post(body, opts = {}) {
    return httpFetch(this.url(), { ...opts, method: 'POST', body });
  }

  // Polls until a payload contains something other than pings, answering each
  // ping with a pong (the server's heartbeat may interleave with what a test
  // waits for). Resolves with the last response, whose packets are in .packets.
  async pollSkippingPings(opts = {}) {
    for (;;) {
      const res = await this.get(opts);
      res.packets = res.status === 200 ? splitPayload(res.text) : [];
      const others = res.packets.filter((p) => p !== '2');
      if (res.packets.length > others.length) {
        const pong = await this.post('3');
        if (pong.status !== 200) throw new Error(`pong answered ${pong.status}: ${pong.text}`);
      }
      if (res.status !== 200 || others.length) {
        res.packets = others;
        return res;
      }
    }
  }
}

// A raw WebSocket with every message and the close recorded from the start.
// Messages come out as strings (text frames) or Buffers (binary frames).
export class RawWebSocket {
  constructor(url) {
    this.ws = new WebSocket(url);
    this.pongs = false;
    this.messages = new EventQueue(this.ws, 'message', (data, isBinary) => {
      if (isBinary) return Buffer.from(data);
      const text = data.toString('utf8');
      if (this.pongs && text === '2') {
        this.ws.send('3');
        return EventQueue.SKIP;
      }
      return text;
    });
    this.errors = [];
    this.ws.on('error', (err) => this.errors.push(err)); // reported through `closed`
    // Set when the server answers the upgrade request with something else than 101.
    this.refused = null;
    this.ws.on('unexpected-response', (req, res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      const finish = () => {
        if (this.refused) return;
        this.refused = { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') };
        this.ws.terminate();
      };
      res.once('end', finish);
      res.once('close', finish);
      res.once('error', finish);
    });
    this.opened = new Promise((resolve) => this.ws.once('open', () => resolve(true)));
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static at(base, query) {
    return new RawWebSocket(eioUrl(base.replace(/^http/, 'ws'), query));
  }

  // Resolves once the WebSocket handshake succeeded; rejects if it closes first.
  waitOpen(timeoutMs = DEFAULT_TIMEOUT_MS) {
    const closedFirst = this.closed.then(({ code }) => {
      const why = this.refused ? `HTTP ${this.refused.status} ${this.refused.body}` : `close ${code}`;
      throw new Error(`WebSocket closed before opening (${why})`);
    });
    return withTimeout(Promise.race([this.opened, closedFirst]), timeoutMs, 'WebSocket open');
  }

  next(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.messages.next(timeoutMs);
  }

  // From now on, pings are answered as soon as they arrive and kept out of
  // `messages`: the session stays alive while the test waits on something else.
  answerPings() {
    this.pongs = true;
    return this;
  }

  // The next message that is not a ping; pings met on the way are answered with a
  // pong, so the server's heartbeat cannot disturb what the test waits for.
  async nextSkippingPings(timeoutMs = DEFAULT_TIMEOUT_MS) {
    for (;;) {
      const message = await this.next(timeoutMs);
      if (message !== '2') return message;
      this.send('3');
    }
  }

  waitClose(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return withTimeout(this.closed, timeoutMs, 'WebSocket close');
  }

  send(data) {
    this.ws.send(data);
  }

  // Ends the connection without a closing handshake, so test teardown never waits.
  destroy() {
    this.ws.terminate();
  }
}

// Engine.IO's error codes and messages, as the npm engine.io server sends them in
// the JSON body of a refused HTTP request (build/server.js, Server.errorMessages).
export const ENGINE_ERRORS = Object.freeze({
  UNKNOWN_TRANSPORT: { code: 0, message: 'Transport unknown' },
  UNKNOWN_SID: { code: 1, message: 'Session ID unknown' },
  BAD_HANDSHAKE_METHOD: { code: 2, message: 'Bad handshake method' },
  BAD_REQUEST: { code: 3, message: 'Bad request' },
  FORBIDDEN: { code: 4, message: 'Forbidden' },
  UNSUPPORTED_PROTOCOL_VERSION: { code: 5, message: 'Unsupported protocol version' },
});

// Upgrades a polling session to `ws` (opened with the session's sid) the way
// engine.io-client does, so the heartbeat is served throughout: a poll stays
// pending during the probe and its pings are answered; "5" is sent once the server
// has released the poll with a noop. Afterwards pings over `ws` are answered too.
export async function upgradeWhilePolling(session, ws) {
  let poll = session.hold();
  await ws.waitOpen();
  ws.send('2probe');
  const probe = ws.next().then((reply) => {
    if (reply !== '3probe') throw new Error(`probe answered ${JSON.stringify(reply)}`);
  });
  probe.catch(() => {}); // awaited below, after the poll loop
  for (;;) {
    const res = await poll.response;
    if (res.status !== 200) throw new Error(`poll during upgrade answered ${res.status}: ${res.text}`);
    const packets = splitPayload(res.text);
    if (packets.includes('2')) {
      const pong = await session.post('3');
      if (pong.status !== 200) throw new Error(`pong during upgrade answered ${pong.status}`);
    }
    if (packets.includes('6')) break; // released for the upgrade
    const unexpected = packets.filter((p) => p !== '2');
    if (unexpected.length) throw new Error(`unexpected packets during upgrade: ${JSON.stringify(unexpected)}`);
    poll = session.hold();
  }
  await probe;
  ws.answerPings();
  ws.send('5');
}
