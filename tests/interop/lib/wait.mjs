// Waiting on events and promises with a bound: a wait that runs out fails the test
// with a message naming what never happened. No sleeps are used for synchronisation.

// Default bound for one wait. Generous, because the machine running the suite may be
// loaded; a healthy peer answers in milliseconds, so this only matters on failure.
export const DEFAULT_TIMEOUT_MS = 5000;

// Resolves or rejects like `promise`, or rejects once `ms` have passed.
export function withTimeout(promise, ms = DEFAULT_TIMEOUT_MS, what = 'operation') {
  let timer;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

// Resolves with the arguments of the next `event` on `emitter` (Node EventEmitter,
// component-emitter as used by engine.io-client, or anything with on/off).
// Rejects if one of `failOn` fires first, or after `timeoutMs`.
export function nextEvent(emitter, event, { timeoutMs = DEFAULT_TIMEOUT_MS, failOn = [] } = {}) {
  return new Promise((resolve, reject) => {
    const handlers = [];
    const cleanup = () => {
      clearTimeout(timer);
      for (const [name, fn] of handlers) emitter.off(name, fn);
    };
    const listen = (name, fn) => {
      handlers.push([name, fn]);
      emitter.on(name, fn);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for '${event}'`));
    }, timeoutMs);
    listen(event, (...args) => {
      cleanup();
      resolve(args);
    });
    for (const bad of failOn) {
      listen(bad, (...args) => {
        cleanup();
        reject(new Error(`'${bad}' fired while waiting for '${event}': ${describe(args)}`));
      });
    }
  });
}

// Records every `event` from the moment it is created, so none is lost between
// awaits; next() hands them out in order. `map` turns an event's arguments into the
// recorded item, or into EventQueue.SKIP to leave the event out.
export class EventQueue {
  static SKIP = Symbol('skip');

  constructor(emitter, event, map = (...args) => args) {
    this.items = [];
    this.waiters = [];
    this.emitter = emitter;
    this.event = event;
    this.listener = (...args) => {
      const item = map(...args);
      if (item === EventQueue.SKIP) return;
      const waiter = this.waiters.shift();
      if (waiter) waiter(item);
      else this.items.push(item);
    };
    emitter.on(event, this.listener);
  }

  // The next recorded item; rejects after `timeoutMs` if none arrives.
  next(timeoutMs = DEFAULT_TIMEOUT_MS) {
    if (this.items.length) return Promise.resolve(this.items.shift());
    let resolveFn;
    const pending = new Promise((resolve) => {
      resolveFn = resolve;
      this.waiters.push(resolve);
    });
    return withTimeout(pending, timeoutMs, `'${this.event}'`).catch((err) => {
      // Drop the waiter so a late item is kept for the next call.
      this.waiters = this.waiters.filter((w) => w !== resolveFn);
      throw err;
    });
  }

  // The next `count` items, in order.
  async take(count, timeoutMs = DEFAULT_TIMEOUT_MS) {
    const out = [];
    for (let i = 0; i < count; i++) out.push(await this.next(timeoutMs));
    return out;
  }

  stop() {
    this.emitter.off(this.event, this.listener);
  }
}

function describe(args) {
  return args.map((a) => (a instanceof Error ? a.message : JSON.stringify(a))).join(', ');
}
