// The sio-docs page: a textarea kept in step with everyone else's through
// DocClient (ot.js), the other people's carets drawn on an overlay behind it.
// Protocol: apps/sio-docs/PROTOCOL.md.
import { DocClient, codePoints, cpLength, diff, transformIndex } from './ot.js';

const $ = (id) => document.getElementById(id);
const textarea = $('text');
const overlay = $('overlay');

// A fresh id per page load: operations carry it with a sequence number, so
// the server applies a re-sent one once. Never shown to others.
const clientId = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
const params = new URLSearchParams(location.search);
const nameInput = $('name');
nameInput.value = params.get('name') ?? localStorage.getItem('sio-docs-name') ?? `Guest ${Math.floor(Math.random() * 900 + 100)}`;

const socket = io({ transports: ['websocket', 'polling'] }); // eslint-disable-line no-undef
let epoch = 0; // counts connections: answers from an older one are ignored
let me = null;
let joined = false;
let users = new Map(); // id -> { name, color, from, to } (from/to: in this page's text)

const client = new DocClient({
  // Another page's edit, as applied here: the text, our selection and the carets move.
  onRemote(op) {
    moveCursors(op);
    showText(textarea.value, op); // the textarea still shows the text before op
  },
  send(revision, seq, op) {
    if (!socket.connected) return; // sent again after the next join
    const sentIn = epoch;
    socket.emit('op', { revision, seq, op }, (answer) => {
      if (sentIn !== epoch || client.inflight?.seq !== seq) return; // stale: handled by a resync
      if (answer?.ok) {
        client.ack(answer.revision);
        afterAck();
      } else {
        notice(`Your edit was refused: ${answer?.message ?? 'no answer'} The text is reloaded.`);
        reload();
      }
    });
  },
});

// ---- UTF-16 (the textarea's selection) <-> code points (the protocol) ----
const toCp = (text, utf16) => cpLength(text.slice(0, utf16));
const toUtf16 = (text, cp) => codePoints(text).slice(0, cp).join('').length;

function setStatus(status, text) {
  $('status').dataset.status = status;
  $('status-text').textContent = text;
}

function notice(text) {
  $('notice').textContent = text;
}

// ---- joining (again) ----
function join({ full = false } = {}) {
  const sentIn = epoch;
  const req = { name: nameInput.value, clientId };
  if (joined && !full) req.revision = client.revision;
  socket.emit('join', req, (answer) => {
    if (sentIn !== epoch) return;
    if (!answer?.ok) {
      notice(answer?.message ?? 'Could not join.');
      return;
    }
    me = answer.id;
    const before = client.text;
    const { applied, lost } = client.resync(answer);
    if (lost) notice('What you typed while away could not be merged (too far behind) and was dropped.');
    if (applied) applied.forEach(moveCursors);
    else users.clear();
    joined = true;
    setUsers(answer.users, answer.revision);
    showText(before);
    setStatus('connected', 'Connected');
    sendCursor();
  });
}

// After a refused edit: this text is not the server's any more. Events are
// ignored until the whole text comes back.
function reload() {
  client.online = false;
  client.inflight = null;
  client.buffer = null;
  join({ full: true });
}

socket.on('connect', () => {
  epoch += 1;
  setStatus('connecting', 'Joining…');
  join();
});
socket.on('disconnect', () => {
  epoch += 1;
  client.online = false;
  setStatus('reconnecting', 'Reconnecting… (keep typing: it is sent on return)');
});

socket.on('op', ({ revision, op }) => {
  if (joined && client.online) client.remote(op, revision);
});

socket.on('presence', ({ users: list, revision }) => {
  if (joined && client.online) setUsers(list, revision);
});

socket.on('cursor', ({ id, from, to }) => {
  const u = users.get(id);
  if (!u) return;
  u.from = client.toLocal(from);
  u.to = client.toLocal(to);
  render();
});

// Positions from the server are in its revision; `revision` is the one they
// belong to (it is this page's revision when the events come in order).
function setUsers(list, revision) {
  const next = new Map();
  for (const u of list) {
    const old = users.get(u.id);
    const local = revision === client.revision;
    next.set(u.id, {
      name: u.name,
      color: u.color,
      from: local ? client.toLocal(u.from) : old?.from ?? 0,
      to: local ? client.toLocal(u.to) : old?.to ?? 0,
    });
  }
  users = next;
  const ul = $('users');
  ul.replaceChildren();
  const sorted = [...users.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name));
  for (const [id, u] of sorted) {
    const li = document.createElement('li');
    li.dataset.name = u.name;
    if (id === me) li.classList.add('me');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = u.color;
    swatch.textContent = codePoints(u.name)[0]?.toUpperCase() ?? '?';
    li.append(swatch, document.createTextNode(id === me ? `${u.name} (you)` : u.name));
    ul.append(li);
  }
  render();
}

function moveCursors(op) {
  for (const u of users.values()) {
    u.from = transformIndex(u.from, op);
    u.to = transformIndex(u.to, op);
  }
}

// Puts client.text into the textarea, keeping the local selection where it
// was in the text (moved by `op`, the change from `before`).
function showText(before, op) {
  if (textarea.value === client.text) return render();
  let start = toCp(before, textarea.selectionStart);
  let end = toCp(before, textarea.selectionEnd);
  const change = op ?? diff(before, client.text);
  start = transformIndex(start, change);
  end = transformIndex(end, change);
  const scroll = textarea.scrollTop;
  textarea.value = client.text;
  textarea.setSelectionRange(toUtf16(client.text, start), toUtf16(client.text, end));
  textarea.scrollTop = scroll;
  render();
}

// ---- local edits ----
textarea.addEventListener('input', () => {
  if (!joined) {
    textarea.value = client.text;
    return;
  }
  const op = diff(client.text, textarea.value);
  client.local(op);
  moveCursors(op);
  render();
  sendCursor();
});
for (const ev of ['select', 'keyup', 'mouseup', 'focus']) textarea.addEventListener(ev, () => sendCursor());
textarea.addEventListener('scroll', () => {
  overlay.scrollTop = textarea.scrollTop;
});

// The caret in server coordinates: only while nothing is pending (then this
// text is the server's revision); sent again after each acknowledgement.
let lastCursor = '';
function sendCursor() {
  if (!joined || !client.online || !client.synchronized) return;
  const from = toCp(client.text, textarea.selectionStart);
  const to = toCp(client.text, textarea.selectionEnd);
  const key = `${client.revision}:${from}:${to}`;
  if (key === lastCursor) return;
  lastCursor = key;
  socket.emit('cursor', { revision: client.revision, from, to });
}

function afterAck() {
  updateMeta();
  sendCursor();
}

nameInput.addEventListener('change', () => {
  localStorage.setItem('sio-docs-name', nameInput.value);
  if (socket.connected) join();
});

// ---- drawing the others' carets ----
function render() {
  updateMeta();
  const cps = codePoints(client.text);
  const marks = [...users.entries()]
    .filter(([id]) => id !== me)
    .map(([, u]) => ({ ...u, lo: Math.min(u.from, u.to, cps.length), hi: Math.min(Math.max(u.from, u.to), cps.length) }));
  const cuts = new Set([0, cps.length]);
  for (const m of marks) cuts.add(m.lo).add(m.hi);
  const points = [...cuts].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < points.length; i += 1) {
    const at = points[i];
    for (const m of marks) if (Math.min(m.to, cps.length) === at) parts.push(caret(m));
    if (i + 1 === points.length) break;
    const text = cps.slice(at, points[i + 1]).join('');
    const sel = marks.find((m) => m.lo <= at && points[i + 1] <= m.hi);
    if (sel) {
      const span = document.createElement('span');
      span.className = 'sel';
      span.style.background = `${sel.color}33`;
      span.textContent = text;
      parts.push(span);
    } else parts.push(document.createTextNode(text));
  }
  parts.push(document.createTextNode('\u200b')); // a last empty line keeps its height
  overlay.replaceChildren(...parts);
  overlay.style.width = `${textarea.clientWidth}px`;
  overlay.scrollTop = textarea.scrollTop;
}

function caret(m) {
  const span = document.createElement('span');
  span.className = 'caret';
  span.dataset.name = m.name;
  span.style.setProperty('--c', m.color);
  const label = document.createElement('span');
  label.className = 'label';
  label.textContent = m.name;
  span.append(label);
  return span;
}

function updateMeta() {
  $('length').textContent = String(cpLength(client.text));
  $('revision').textContent = String(client.revision);
  $('pending').textContent = client.synchronized ? '' : ' · sending…';
}

window.addEventListener('resize', render);

// For the tests and the curious.
window.docs = { socket, client, users: () => users };
