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

// Starts a request on its own connection and hands back control points:
//   sent      resolves once the request has been fully written to the socket
//   response  resolves with { status, headers, text }, rejects on a network error
//   abort()   destroys the connection (a client giving up on a long poll)
// `agent` picks the connection: false (default) opens a new one; a keep-alive
// agent with an idle socket reuses it, which the server is already reading, so the
// request reaches it sooner than one on a connection still to be accepted.
export function heldRequest(url, { method = 'GET', body, headers = {}, agent = false, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  const req = http.request(url, { method, headers, agent });
  const sent = new Promise((resolve, reject) => {
    req.once('finish', resolve);
    req.once('error', reject);
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
  req.end(body);
  const held = {
    sent: withTimeout(sent, timeoutMs, `${method} ${url} to be sent`),
    response: withTimeout(response, timeoutMs, `response to ${method} ${url}`),
    abort: () => req.destroy(),
  };
  // Callers that abort do not look at the response: its rejection is expected then,
  // and must not count as unhandled. Awaiting it still sees the rejection.
  held.response.catch(() => {});
  return held;
}
