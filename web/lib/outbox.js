// What the user sent and the server has not yet acknowledged, in order. Items are
// (re)sent while connected; after a reconnect they are all sent again, and the
// server's de-duplication by cid makes that safe.
export class Outbox {
  constructor() {
    this.pending = new Map(); // cid -> {cid, event, payload}, insertion order = send order
  }

  add(item) {
    this.pending.set(item.cid, item);
  }

  has(cid) {
    return this.pending.has(cid);
  }

  remove(cid) {
    this.pending.delete(cid);
  }

  items() {
    return [...this.pending.values()];
  }

  get size() {
    return this.pending.size;
  }
}
