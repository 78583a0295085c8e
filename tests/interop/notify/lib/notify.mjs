// sio-notify under test: start it, sign users in, connect their tabs with the
// official socket.io-client, and record what each tab receives. Waits are on
// received events with bounded timeouts.
import { createRequire } from 'node:module';
import { programCommand, startProgram } from '../../lib/server.mjs';
import { withTimeout } from '../../lib/wait.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');

export const SECRET = 'test-secret-0123456789';
export const WAIT_MS = 5000;

// Starts build/bin/sio-notify on a free port; returns startProgram's handle.
export function startNotify({ secret = SECRET, redis, extra = [] } = {}) {
  const args = ['--port', '0', '--host', '127.0.0.1', '--secret', secret, '--threads', '2', ...extra];
  if (redis) args.push('--redis', redis);
  return startProgram(programCommand('sio-notify'), args, { label: 'sio-notify' });
}

export async function post(url, path, body, { secret = SECRET, type = 'application/json', method = 'POST' } = {}) {
  const headers = {};
  if (secret !== null) headers.Authorization = `Bearer ${secret}`;
  if (type) headers['Content-Type'] = type;
  const res = await fetch(new URL(path, url), {
    method,
    headers,
    body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text, headers: res.headers };
}

export async function login(url, name) {
  const r = await post(url, '/login', { name }, { secret: null });
  if (r.status !== 200) throw new Error(`login ${name}: ${r.status} ${r.text}`);
  return r.json.token;
}

// One tab: a socket that records its 'notification' and 'unread' events.
export class Tab {
  constructor(socket, inbox) {
    this.socket = socket;
    this.inbox = inbox;
    this.events = []; // [name, payload]
    this.waiters = [];
    for (const name of ['notification', 'unread', 'inbox']) {
      socket.on(name, (p) => {
        this.events.push([name, p]);
        for (const w of this.waiters.slice()) w();
      });
    }
  }

  // Resolves with the first recorded event that `pred(name, payload)` accepts.
  until(pred, what) {
    return withTimeout(new Promise((resolve) => {
      const check = () => {
        const hit = this.events.find(([n, p]) => pred(n, p));
        if (hit) {
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(hit[1]);
        }
      };
      this.waiters.push(check);
      check();
    }), WAIT_MS, what);
  }

  notifications() {
    return this.events.filter(([n]) => n === 'notification').map(([, p]) => p);
  }

  ask(...args) {
    return this.socket.timeout(WAIT_MS).emitWithAck(...args);
  }

  close() {
    this.socket.disconnect();
  }
}

// Connects with `token` as auth; resolves with a Tab once the inbox came, or
// rejects with the connect_error.
export function connect(url, token, { transports = ['websocket'], reconnection = false } = {}) {
  const socket = io(url, {
    auth: token === undefined ? {} : { token }, transports, forceNew: true, reconnection, reconnectionDelay: 100,
  });
  const inbox = new Promise((resolve, reject) => {
    socket.once('inbox', resolve);
    socket.once('connect_error', reject);
  });
  const tab = new Tab(socket, null);
  return withTimeout(inbox, WAIT_MS, 'the inbox').then((box) => {
    tab.inbox = box;
    return tab;
  }, (err) => {
    socket.disconnect();
    throw err;
  });
}
