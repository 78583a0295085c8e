// A WebSocket driven by hand over a RawConnection: the upgrade request and
// every frame are written as the test spells them, and the server's frames
// are read back from the bytes after its 101.
import assert from 'node:assert/strict';
import {
  RawConnection,
  binaryFrame,
  clientFrame,
  closeCodeOf,
  describeBytes,
  parseServerFrames,
  requestHead,
  textFrame,
  websocketUpgradeHeaders,
} from './raw.mjs';

const OPCODE_TEXT = 1;
const OPCODE_CLOSE = 8;

export class RawWsPeer {
  constructor(conn, offset) {
    this.conn = conn;
    this.offset = offset; // where the server's frames start in conn.data
  }

  // Sends a WebSocket upgrade request for `target` (with `extraHeaders` after
  // the standard ones, and `trailing` bytes in the same write as the head) and
  // reads the response. Resolves with { conn, res, peer }: peer is set when
  // the server answered 101 with the right Sec-WebSocket-Accept.
  static async upgrade(port, target, { extraHeaders = [], leadingHeaders = [], trailing } = {}) {
    const conn = await RawConnection.open(port);
    const { headers, accept } = websocketUpgradeHeaders(port);
    const head = requestHead('GET', target, [...leadingHeaders, ...headers, ...extraHeaders]);
    await conn.write(trailing ? Buffer.concat([head, trailing]) : head);
    const res = await conn.response();
    let peer = null;
    if (res.status === 101) {
      assert.equal(res.headers['sec-websocket-accept'], accept, 'Sec-WebSocket-Accept');
      peer = new RawWsPeer(conn, conn.data.length - res.rest.length);
    }
    return { conn, res, peer };
  }

  // An Engine.IO v4 WebSocket session at `enginePath` whose open packet has
  // arrived; with `namespace`, also joined to it (Socket.IO CONNECT answered).
  static async engineIo(port, enginePath, { namespace } = {}) {
    const { res, peer } = await RawWsPeer.upgrade(port, `${enginePath}?EIO=4&transport=websocket`);
    assert.equal(res.status, 101, `upgrade answered ${res.status} ${res.body}`);
    await peer.waitText((t) => t.startsWith('0{'), 'the Engine.IO open packet');
    if (namespace !== undefined) {
      await peer.sendText(namespace === '/' ? '40' : `40${namespace},`);
      await peer.waitText((t) => /^40(\/[^,]*,)?\{"sid":/.test(t), 'the Socket.IO CONNECT answer');
    }
    return peer;
  }

  frames() {
    return parseServerFrames(this.conn.data.subarray(this.offset)).frames;
  }

  // Payloads of the text frames received so far.
  texts() {
    return this.frames()
      .filter((f) => f.opcode === OPCODE_TEXT)
      .map((f) => f.payload.toString('utf8'));
  }

  sendText(text) {
    return this.conn.write(textFrame(text));
  }

  sendBinary(bytes) {
    return this.conn.write(binaryFrame(bytes));
  }

  send(message) {
    return typeof message === 'string' ? this.sendText(message) : this.sendBinary(message);
  }

  // Resolves with the first text frame whose payload satisfies `pred`.
  waitText(pred, what) {
    return this.conn.until(() => this.texts().find(pred), what);
  }

  // Resolves once the server has closed the WebSocket: its close frame has
  // come (answered with ours, as RFC 6455 section 5.5.1 asks, so that a
  // server waiting for it can end TCP) and TCP has ended. Resolves with
  // { code } (the server's close code, null when TCP ended without a close
  // frame) and `texts` (every text frame received).
  async waitClosed(what = 'the server to close the WebSocket') {
    const closeFrame = () => this.frames().find((f) => f.opcode === OPCODE_CLOSE);
    await this.conn.until((_, ended) => (closeFrame() || ended ? true : undefined), what);
    const close = closeFrame();
    if (close && !this.conn.ended) {
      await this.conn.write(clientFrame(0x80 | OPCODE_CLOSE, close.payload.subarray(0, 2)));
      await this.conn.waitEnd();
    }
    return { code: close ? closeCodeOf(close) : null, texts: this.texts() };
  }

  describe() {
    return describeBytes(this.conn.data);
  }

  destroy() {
    this.conn.destroy();
  }
}
