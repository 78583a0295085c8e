// HTTP for the raw protocol tests. Ordinary requests go through node's fetch (a
// keep-alive client, like a browser); requests whose timing the test must control
// (abort after sending, send B only once A is on the wire) go through node:http.
import http from 'node:http';
import { DEFAULT_TIMEOUT_MS, withTimeout } from './wait.mjs';

// URL of the Engine.IO endpoint under `base` with the given query parameters
// (undefined values are left out, so a test can drop a mandatory one).
export function eioUrl(base, query = {}, enginePath = '/engine.io/') {
  const url = new URL(enginePath, base);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

// One request; resolves with { status, headers, text } once the whole body is read.
// Network failures reject; so does a response that does not complete in time.
export async function httpFetch(url, { method = 'GET', body, headers, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  const res = await fetch(url, { method, body, headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

// Starts a request and hands back control points:
//   sent      resolves once the request (or, when unfinished, its first part) has
//             been written to the socket
//   response  resolves with { status, headers, text }, rejects on a network error
//   finish(b) sends the rest of an unfinished body and ends the request
//   abort()   destroys the connection (a client giving up on a long poll)
// `agent` picks the connection: false (default) opens a new one; a keep-alive
// agent with an idle socket reuses it, which the server is already reading, so the
// request reaches it sooner than one on a connection still to be accepted.
// `unfinished: true` sends `body` as the first chunk of a chunked body and leaves
// the request open, so the server sees a request still in progress.
export function heldRequest(
  url,
  { method = 'GET', body, headers = {}, agent = false, unfinished = false, timeoutMs = DEFAULT_TIMEOUT_MS } = {},
) {
  const req = http.request(url, { method, headers, agent });
  const sent = new Promise((resolve, reject) => {
    req.once('error', reject);
    if (unfinished) req.write(body, () => resolve());
    else req.once('finish', resolve);
  });
  const response = new Promise((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.once('error', reject);
      res.once('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
  });
  if (!unfinished) req.end(body);
  const held = {
    sent: withTimeout(sent, timeoutMs, `${method} ${url} to be sent`),
    response: withTimeout(response, timeoutMs, `response to ${method} ${url}`),
    finish: (rest) => req.end(rest),
    abort: () => req.destroy(),
  };
  // Callers that abort do not look at the response: its rejection is expected then,
  // and must not count as unhandled. Awaiting it still sees the rejection.
  held.response.catch(() => {});
  held.sent.catch(() => {});
  return held;
}
