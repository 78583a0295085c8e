// The conversation pane: room messages, direct messages, files and system lines.
// Messages are keyed by server id (so history merged after a reconnect never
// shows one twice) and, while unacknowledged, by the client's cid.
import { avatar, clockTime, el, formatBytes } from './dom.js';

// Raster formats only: an SVG opened from a blob: URL would run its scripts on
// this origin, so SVG and everything else is offered as a download instead.
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

const STATUS_TEXT = {
  queued: 'Waiting for connection',
  pending: 'Sending…',
  delivered: 'Delivered',
  failed: 'Not sent',
};

export class MessageList {
  constructor(root, me) {
    this.root = root;
    this.me = me; // () => current nickname
    this.byId = new Map();
    this.byCid = new Map();
    this.lastId = null; // id of the newest room message, for history-since
    this.urls = [];
  }

  clear() {
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls = [];
    this.byId.clear();
    this.byCid.clear();
    this.lastId = null;
    this.root.replaceChildren();
  }

  has(id) {
    return this.byId.has(id);
  }

  // A room message (text or file) from the server: live, history, or missed.
  addRoomMessage(msg) {
    if (this.byId.has(msg.id)) return null;
    const node = this.render(msg, { own: msg.from === this.me(), status: msg.from === this.me() ? 'delivered' : null });
    this.byId.set(msg.id, node);
    this.lastId = msg.id;
    this.insert(node);
    return node;
  }

  addDirect(dm, { outgoing = false, status = null, cid = null } = {}) {
    if (dm.id && this.byId.has(dm.id)) return null;
    const node = this.render({ ...dm, kind: 'text' }, { own: outgoing, status, direct: true });
    if (dm.id) this.byId.set(dm.id, node);
    if (cid) this.byCid.set(cid, node);
    this.insert(node);
    return node;
  }

  // The user's own message, shown at once, before the server has it.
  addOutgoing(cid, msg, status) {
    const node = this.render(msg, { own: true, status });
    node.dataset.cid = cid;
    this.byCid.set(cid, node);
    this.insert(node, { outgoing: true });
    return node;
  }

  setStatus(cid, status, detail) {
    const node = this.byCid.get(cid);
    if (!node) return;
    node.dataset.status = status;
    const label = node.querySelector('.receipt');
    label.textContent = status === 'failed' && detail ? `${STATUS_TEXT.failed}: ${detail}` : STATUS_TEXT[status];
  }

  // The server accepted the user's message: it now has an id and a server time.
  delivered(cid, { id, time }, isRoomMessage) {
    const node = this.byCid.get(cid);
    if (!node) return;
    this.byCid.delete(cid);
    if (id && this.byId.has(id)) {
      // The server had it before the connection dropped, and its copy came back
      // with the missed messages: keep that one.
      node.remove();
      return;
    }
    this.setStatusOf(node, 'delivered');
    node.querySelector('time').replaceWith(timeNode(time));
    if (id) {
      node.dataset.id = id;
      this.byId.set(id, node);
      if (isRoomMessage) this.lastId = id;
    }
  }

  setStatusOf(node, status) {
    node.dataset.status = status;
    node.querySelector('.receipt').textContent = STATUS_TEXT[status];
  }

  system(text, kind = 'info') {
    this.insert(el('li.system', { dataset: { kind } }, el('span', { text })));
  }

  // New lines go before the user's unsent messages, which stay at the bottom
  // until the server takes them.
  insert(node, { outgoing = false } = {}) {
    const stick = this.nearBottom();
    const firstUnsent = outgoing ? null : this.root.querySelector('li.msg[data-status="queued"], li.msg[data-status="pending"]');
    if (firstUnsent) this.root.insertBefore(node, firstUnsent);
    else this.root.append(node);
    if (stick || outgoing) node.scrollIntoView({ block: 'end' });
  }

  nearBottom() {
    const r = this.root;
    return r.scrollHeight - r.scrollTop - r.clientHeight < 80;
  }

  render(msg, { own, status, direct = false }) {
    const classes = ['msg', own ? 'own' : 'other', direct ? 'direct' : ''].filter(Boolean).join('.');
    const who = direct
      ? el('span.author', { text: own ? `You → ${msg.to}` : `${msg.from} → you` })
      : el('span.author', { text: own ? 'You' : msg.from });
    const meta = el('div.meta', {}, who, direct ? el('span.tag', { text: 'private' }) : null, timeNode(msg.time));
    const bubble = el('div.bubble', {}, meta, this.body(msg), el('span.receipt', { text: status ? STATUS_TEXT[status] : '' }));
    const node = el(`li.${classes}`, { dataset: { kind: msg.kind, from: msg.from } }, avatar(msg.from), bubble);
    if (msg.id) node.dataset.id = msg.id;
    if (status) node.dataset.status = status;
    return node;
  }

  body(msg) {
    if (msg.kind !== 'file') return el('div.body', { text: msg.text });
    const f = msg.file;
    const caption = el('figcaption', {}, el('span.file-name', { text: f.name }), el('span.file-size', { text: formatBytes(f.size) }));
    if (!f.data) {
      return el('figure.body.file.expired', {}, caption, el('span.file-note', { text: 'No longer available' }));
    }
    const inline = INLINE_IMAGE_TYPES.has(f.type);
    const blob = new Blob([f.data], { type: inline ? f.type : 'application/octet-stream' });
    const url = URL.createObjectURL(blob);
    this.urls.push(url);
    if (inline) {
      return el('figure.body.file.image', {}, el('img', { src: url, alt: f.name, loading: 'lazy' }), caption);
    }
    return el('figure.body.file', {}, el('a.download', { href: url, download: f.name, text: `Download ${f.name}` }), caption);
  }
}

function timeNode(ms) {
  return el('time', { dateTime: new Date(ms).toISOString(), title: new Date(ms).toLocaleString(), text: clockTime(ms) });
}
