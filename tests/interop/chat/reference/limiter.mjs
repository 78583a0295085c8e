// Per-socket flood control (apps/sio-chat/PROTOCOL.md, "Abuse"): a token bucket for
// requests and one for typing notices; refusals count as strikes, too many strikes
// get the socket disconnected.

export const REQUESTS = { capacity: 20, perSecond: 5 }; // bursts of 20, 5/s sustained
export const TYPING = { capacity: 5, perSecond: 1 }; // typing notices are cheap but chatty
export const MAX_STRIKES = 50; // refused requests before the socket is disconnected

export class TokenBucket {
  constructor({ capacity, perSecond }, now = Date.now()) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.tokens = capacity;
    this.last = now;
  }

  refill(now) {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.perSecond);
    this.last = now;
  }

  take(now = Date.now()) {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  full() {
    return this.tokens >= this.capacity;
  }
}

export class FloodGuard {
  constructor(now = Date.now()) {
    this.requests = new TokenBucket(REQUESTS, now);
    this.typing = new TokenBucket(TYPING, now);
    this.strikes = 0;
  }

  // 'ok', 'refused' or 'kick'.
  admit(isTyping, now = Date.now()) {
    this.requests.refill(now);
    this.typing.refill(now);
    // A socket that has been quiet long enough to refill is forgiven.
    if (this.requests.full() && this.typing.full()) this.strikes = 0;
    const bucket = isTyping ? this.typing : this.requests;
    if (bucket.take(now)) return 'ok';
    this.strikes += 1;
    return this.strikes >= MAX_STRIKES ? 'kick' : 'refused';
  }
}
