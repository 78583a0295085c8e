// Operational transformation on plain text: the page's twin of
// apps/sio-docs/ot.hpp, and the page's side of the server's ordering
// (DocClient). Positions count Unicode code points (Array.from(text)), as the
// server does, so an emoji or an accented letter is one position.
//
// An operation is its wire form (PROTOCOL.md): an array of positive integers
// (retain), non-empty strings (insert) and negative integers (delete), which
// together walk the whole text once.

export const codePoints = (s) => Array.from(s);
export const cpLength = (s) => {
  let n = 0;
  for (const _ of s) n += 1; // eslint-disable-line no-unused-vars
  return n;
};

// Builds normalised operations: no empty parts, neighbours merged, an insert
// next to a delete placed first (as ot.cpp, so equal edits compare equal).
export class Builder {
  constructor() {
    this.ops = [];
  }

  retain(n) {
    if (n <= 0) return this;
    const last = this.ops.length - 1;
    if (last >= 0 && typeof this.ops[last] === 'number' && this.ops[last] > 0) this.ops[last] += n;
    else this.ops.push(n);
    return this;
  }

  insert(s) {
    if (s === '') return this;
    let at = this.ops.length;
    if (at > 0 && typeof this.ops[at - 1] === 'number' && this.ops[at - 1] < 0) at -= 1;
    if (at > 0 && typeof this.ops[at - 1] === 'string') this.ops[at - 1] += s;
    else this.ops.splice(at, 0, s);
    return this;
  }

  remove(n) {
    if (n <= 0) return this;
    const last = this.ops.length - 1;
    if (last >= 0 && typeof this.ops[last] === 'number' && this.ops[last] < 0) this.ops[last] -= n;
    else this.ops.push(-n);
    return this;
  }

  done() {
    return this.ops;
  }
}

export function baseLength(op) {
  let n = 0;
  for (const c of op) if (typeof c === 'number') n += Math.abs(c);
  return n;
}

export function targetLength(op) {
  let n = 0;
  for (const c of op) {
    if (typeof c === 'string') n += cpLength(c);
    else if (c > 0) n += c;
  }
  return n;
}

export const isNoop = (op) => op.every((c) => typeof c === 'number' && c > 0);

// `text` after `op`; throws when op does not fit the text.
export function apply(text, op) {
  const cps = codePoints(text);
  if (baseLength(op) !== cps.length) throw new Error(`operation for ${baseLength(op)} code points, text has ${cps.length}`);
  const out = [];
  let at = 0;
  for (const c of op) {
    if (typeof c === 'string') out.push(c);
    else if (c > 0) {
      out.push(cps.slice(at, at + c).join(''));
      at += c;
    } else at -= c;
  }
  return out.join('');
}

// Reads an operation a piece at a time (a part may be split).
class Reader {
  constructor(op) {
    this.op = op;
    this.i = 0;
    this.off = 0;
    this.cps = null; // the current insert's code points
  }

  done() {
    return this.i === this.op.length;
  }

  kind() {
    const c = this.op[this.i];
    if (typeof c === 'string') return 'insert';
    return c > 0 ? 'retain' : 'remove';
  }

  left() {
    const c = this.op[this.i];
    if (typeof c === 'string') {
      this.cps ??= codePoints(c);
      return this.cps.length - this.off;
    }
    return Math.abs(c) - this.off;
  }

  // The next n code points of the current part (the text for an insert).
  take(n) {
    let text = '';
    if (this.kind() === 'insert') {
      this.cps ??= codePoints(this.op[this.i]);
      text = this.cps.slice(this.off, this.off + n).join('');
    }
    const total = this.left() + this.off;
    this.off += n;
    if (this.off === total) {
      this.i += 1;
      this.off = 0;
      this.cps = null;
    }
    return text;
  }
}

// a and b made on one text: [a', b'] with apply(apply(t, a), b') ===
// apply(apply(t, b), a'). Where both insert at one position, a's text first.
export function transform(a, b) {
  if (baseLength(a) !== baseLength(b)) throw new Error('transform: operations on different texts');
  const a2 = new Builder();
  const b2 = new Builder();
  const ra = new Reader(a);
  const rb = new Reader(b);
  while (!ra.done() || !rb.done()) {
    if (!ra.done() && ra.kind() === 'insert') {
      const n = ra.left();
      a2.insert(ra.take(n));
      b2.retain(n);
      continue;
    }
    if (!rb.done() && rb.kind() === 'insert') {
      const n = rb.left();
      b2.insert(rb.take(n));
      a2.retain(n);
      continue;
    }
    const n = Math.min(ra.left(), rb.left());
    const ka = ra.kind();
    const kb = rb.kind();
    ra.take(n);
    rb.take(n);
    if (ka === 'retain' && kb === 'retain') {
      a2.retain(n);
      b2.retain(n);
    } else if (ka === 'remove' && kb === 'retain') a2.remove(n);
    else if (ka === 'retain' && kb === 'remove') b2.remove(n);
  }
  return [a2.done(), b2.done()];
}

// One operation doing a, then b.
export function compose(a, b) {
  if (targetLength(a) !== baseLength(b)) throw new Error('compose: b does not follow a');
  const out = new Builder();
  const ra = new Reader(a);
  const rb = new Reader(b);
  while (!ra.done() || !rb.done()) {
    if (!ra.done() && ra.kind() === 'remove') {
      out.remove(ra.left());
      ra.take(ra.left());
      continue;
    }
    if (!rb.done() && rb.kind() === 'insert') {
      out.insert(rb.take(rb.left()));
      continue;
    }
    const n = Math.min(ra.left(), rb.left());
    const ka = ra.kind();
    const kb = rb.kind();
    const text = ra.take(n);
    rb.take(n);
    if (ka === 'retain') {
      if (kb === 'retain') out.retain(n);
      else out.remove(n);
    } else if (kb === 'retain') out.insert(text);
  }
  return out.done();
}

// Where a caret at `index` is after `op` (as ot::transform_index).
export function transformIndex(index, op, pastInsert = false) {
  let moved = index;
  let at = 0;
  for (const c of op) {
    if (at > index) break;
    if (typeof c === 'string') {
      if (at < index || pastInsert) moved += cpLength(c);
    } else if (c > 0) at += c;
    else {
      moved -= Math.min(-c, index - at);
      at -= c;
    }
  }
  return moved;
}

// The operation turning `before` into `after`: the changed middle between the
// longest common prefix and suffix, in code points.
export function diff(before, after) {
  const a = codePoints(before);
  const b = codePoints(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end += 1;
  return new Builder()
    .retain(start)
    .remove(a.length - start - end)
    .insert(b.slice(start, b.length - end).join(''))
    .retain(end)
    .done();
}

// The page's side: its text, the server revision it is based on, one
// operation in flight (sent, not yet acknowledged) and a buffer of what was
// typed since, composed into one. `send(revision, seq, op)` is called to put
// an operation on the wire whenever the client may send; `onRemote(op)` after
// another page's operation changed the text (op as applied here).
//
// Every revision reaches the page once, as another page's operation or as the
// acknowledgement of its own, and they are taken strictly in revision order:
// one that comes early (a broadcast relayed by another event loop may arrive
// after a later acknowledgement) waits for the ones before it.
export class DocClient {
  constructor({ send, onRemote = () => {} }) {
    this.send = send;
    this.onRemote = onRemote;
    this.text = '';
    this.revision = 0;
    this.inflight = null; // { op, seq }
    this.buffer = null; // op
    this.seq = 0; // last sequence number used
    this.online = false;
    this.early = new Map(); // revision -> op (another page's) or null (our acknowledgement)
  }

  get synchronized() {
    return !this.inflight && !this.buffer;
  }

  // The page changed the text (op made on this.text).
  local(op) {
    this.text = apply(this.text, op);
    if (isNoop(op)) return;
    if (this.inflight) this.buffer = this.buffer ? compose(this.buffer, op) : op;
    else {
      this.seq += 1;
      this.inflight = { op, seq: this.seq };
      this.flush();
    }
  }

  // Another page's operation, made revision `revision`.
  remote(op, revision) {
    this.arrive(revision, op);
  }

  // The server applied the operation in flight as `revision`.
  ack(revision) {
    if (revision <= this.revision) {
      this.inflight = null; // a repeat answered late: already counted
      this.next();
      return;
    }
    this.arrive(revision, null);
  }

  arrive(revision, op) {
    if (revision <= this.revision) return;
    this.early.set(revision, op);
    while (this.early.has(this.revision + 1)) {
      const next = this.early.get(this.revision + 1);
      this.early.delete(this.revision + 1);
      if (next === null) {
        this.revision += 1;
        this.inflight = null;
        this.next();
      } else this.onRemote(this.applyRemote(next));
    }
  }

  // Transforms another page's operation past what this page has not had
  // acknowledged yet, applies it, and returns it as applied.
  applyRemote(op) {
    let theirs = op;
    if (this.inflight) {
      const [inflight, t] = transform(this.inflight.op, theirs);
      this.inflight.op = inflight;
      theirs = t;
    }
    if (this.buffer) {
      const [buffer, t] = transform(this.buffer, theirs);
      this.buffer = buffer;
      theirs = t;
    }
    this.text = apply(this.text, theirs);
    this.revision += 1;
    return theirs;
  }

  next() {
    if (this.inflight || !this.buffer) return;
    this.seq += 1;
    this.inflight = { op: this.buffer, seq: this.seq };
    this.buffer = null;
    this.flush();
  }

  flush() {
    if (this.online && this.inflight) this.send(this.revision, this.inflight.seq, this.inflight.op);
  }

  // The answer to `join` (first or after a reconnection). Returns the
  // operations of others applied here, in order, or null when the text was
  // replaced; `lost` is true when what was typed offline could not be kept.
  resync(answer) {
    this.online = true;
    this.early.clear(); // anything from the previous connection is in the answer
    const applied = [];
    let lost = false;
    if (answer.ops) {
      for (const r of answer.ops) {
        if (r.revision <= this.revision) continue;
        if (r.mine && this.inflight && r.seq === this.inflight.seq) {
          this.inflight = null; // it had arrived: the acknowledgement was lost
          this.revision = r.revision;
        } else if (r.mine) {
          this.revision = r.revision; // acknowledged before: already in the text
        } else applied.push(this.applyRemote(r.op));
      }
    } else {
      if (this.inflight && answer.applied >= this.inflight.seq) this.inflight = null;
      lost = !this.synchronized;
      this.text = answer.text;
      this.inflight = null;
      this.buffer = null;
    }
    this.revision = answer.revision;
    if (this.inflight) this.flush();
    else this.next();
    return { applied: answer.ops ? applied : null, lost };
  }

  // A caret in the server's revision (another page's cursor) as a position in this text.
  toLocal(index) {
    let i = index;
    if (this.inflight) i = transformIndex(i, this.inflight.op);
    if (this.buffer) i = transformIndex(i, this.buffer);
    return i;
  }
}
