// What the official protocol suites (socket.io docs/engine.io-protocol/v4-test-suite,
// docs/socket.io-protocol/v5-test-suite) rely on, in node:test terms, for our
// copies of them (tests/interop/engineio/protocol_suite.test.mjs and
// tests/interop/socketio/protocol_suite.test.mjs).
import assert from 'node:assert/strict';
import { eioUrl, httpFetch } from './http.mjs';
import { DEFAULT_TIMEOUT_MS } from './wait.mjs';
import { waitUntil } from './ws-raw.mjs';

// The suites' WebSocket is `ws` with no 'error' listener where they do not add
// one: an 'error' event (an upgrade answered with an HTTP error, a broken frame)
// is thrown and fails the case. So "waitFor(socket, 'close')" there means: the
// connection closes, and no error came first.
export async function closesWithoutError(ws) {
  await ws.waitClose();
  assert.deepEqual(
    ws.errors.map((e) => e.message),
    [],
    `the WebSocket failed${ws.refused ? ` (HTTP ${ws.refused.status})` : ''}`,
  );
}

// The suites wait pingInterval + pingTimeout with a sleep, then expect the
// session gone. Here the wait is on the server's state instead: a request with
// the sid over the other transport is refused at once without touching the
// session, with "Session ID unknown" (code 1) once it is gone and "Bad request"
// (code 3) while it lives (engine.io's verify() order).
export async function waitSessionGone(base, enginePath, sid, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const probe = eioUrl(base, { EIO: 4, transport: 'websocket', sid }, enginePath);
  const gone = await waitUntil(async () => {
    const res = await httpFetch(probe);
    return res.status === 400 && JSON.parse(res.text).code === 1;
  }, timeoutMs);
  assert.ok(gone, `session ${sid} still open after ${timeoutMs} ms`);
}

// The suites' `fetch(...)` for a POST whose outcome they do not look at: a
// failure of the request itself is no failure of the case.
export async function postIgnoringOutcome(url, body) {
  try {
    await httpFetch(url, { method: 'POST', body });
  } catch {
    // node-fetch throws when the request is closed abnormally; the suite catches it
  }
}

// The suites' "forcefully closes the session" over polling sends a poll and a
// close packet at once (Promise.all) and expects the poll ended with a noop.
// Which the server reads first is not fixed: the poll goes first on the
// session's own connection, but the POST, on another connection, may be read
// by another event loop and reach the session first (engine.io has the same
// race between two requests). Then the poll finds the session gone: 400
// "Session ID unknown". That outcome says the harness lost the race, not that
// the server is wrong, so the case is tried again on a new session (at most
// `attempts` times). Returns the held poll's answer and a poll's answer after.
export async function closeWhilePolling(openSession, attempts = 5) {
  for (let i = 1; ; i++) {
    const session = await openSession();
    const poll = session.hold();
    await poll.sent;
    await httpFetch(session.url(), { method: 'POST', body: '1' });
    const answer = await poll.response;
    const overtaken = answer.status === 400 && JSON.parse(answer.text).code === 1;
    if (!overtaken || i === attempts) return { answer, after: await session.get() };
  }
}
