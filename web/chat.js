// The sio-chat page: connects with the official socket.io-client (global `io`) and
// speaks the protocol of apps/sio-chat/PROTOCOL.md.
//
// Query parameters: ?transports=polling (or websocket, or both, comma-separated)
// restricts the transports the client may use; the status line shows the one in use.
import { $, avatar, el, formatBytes, randomId } from './lib/dom.js';
import { MessageList } from './lib/messages.js';
import { Outbox } from './lib/outbox.js';
import { TypingIndicator } from './lib/typing.js';

const TYPING_EVERY_MS = 1500; // at most one typing notice per 1.5 s while typing
const REQUEST_TIMEOUT_MS = 15000; // an unanswered request is retried after this
const NOTICE_MS = 8000; // how long an error notice stays up
// A chat wants people back quickly: retry after 0.5 s, doubling to at most 2 s
// (socket.io-client's defaults are 1 s and 5 s), still with its jitter.
const RECONNECT_DELAY_MS = 500;
const RECONNECT_DELAY_MAX_MS = 2000;

const params = new URLSearchParams(location.search);
const wanted = (params.get('transports') ?? '').split(',').map((t) => t.trim()).filter((t) => ['polling', 'websocket'].includes(t));
const socket = io({
  transports: wanted.length ? wanted : ['polling', 'websocket'],
  reconnectionDelay: RECONNECT_DELAY_MS,
  reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
});

const state = {
  nick: null,
  room: null,
  joined: false, // in a room (survives a dropped connection: we rejoin on reconnect)
  resuming: false, // rejoining after a reconnect; sends wait until done
  limits: { maxUpload: 1048576, maxText: 2000, maxNick: 24, maxRoom: 32, history: 100 },
  clientId: tabId(),
  members: [],
  dmTo: null,
  lastTypingSent: 0,
};

const list = new MessageList($('#messages'), () => state.nick);
const outbox = new Outbox();
const typing = new TypingIndicator($('#typing'));

// Exposed for the browser console and the end-to-end tests.
window.chat = { socket, state };

// ---- connection -------------------------------------------------------------

function setStatus(status, text) {
  $('#status').dataset.status = status;
  $('#status-text').textContent = text;
}

function showTransport() {
  const name = socket.io.engine?.transport?.name ?? '';
  $('#transport').textContent = name;
  $('#transport').dataset.transport = name;
}

socket.io.on('open', () => {
  showTransport();
  socket.io.engine.on('upgrade', showTransport);
});

socket.on('connect', () => {
  setStatus('connected', 'Connected');
  showTransport();
  hideBanner();
  if (state.joined) resume();
});

socket.on('disconnect', (reason) => {
  $('#transport').textContent = '';
  if (reason === 'io server disconnect' || reason === 'io client disconnect') {
    setStatus('offline', 'Disconnected');
  } else {
    setStatus('reconnecting', 'Reconnecting…');
  }
});

socket.on('connect_error', () => {
  if (socket.active) setStatus('reconnecting', 'Reconnecting…');
  else setStatus('offline', 'Cannot connect');
});

socket.io.on('reconnect_attempt', (n) => setStatus('reconnecting', `Reconnecting… (attempt ${n})`));

// The server waits for this acknowledgement (or a short timeout) before it closes.
socket.on('server-shutdown', (p, ack) => {
  showBanner(`${textOf(p?.message, 'The server is shutting down.')} Your messages will be sent when it is back.`);
  if (typeof ack === 'function') ack();
});
socket.on('kicked', (p) => showBanner(textOf(p?.message, 'Disconnected by the server.'), 'error'));

// One request with its answer; never rejects. A dropped connection or no answer
// in time yields {ok: false, error: 'disconnected' | 'timeout'}.
function request(event, payload) {
  return new Promise((resolve) => {
    const callback = (err, answer) => {
      if (err) {
        const dropped = /disconnected/.test(err.message);
        resolve({ ok: false, error: dropped ? 'disconnected' : 'timeout', message: 'No answer from the server.' });
      } else {
        resolve(answer && typeof answer === 'object' ? answer : { ok: false, error: 'bad-answer', message: 'Unexpected answer.' });
      }
    };
    if (payload === undefined) socket.timeout(REQUEST_TIMEOUT_MS).emit(event, callback);
    else socket.timeout(REQUEST_TIMEOUT_MS).emit(event, payload, callback);
  });
}

const ready = () => socket.connected && state.joined && !state.resuming;

// ---- joining ------------------------------------------------------------------

async function join(nick, room) {
  return request('join', { nick, room, clientId: state.clientId });
}

function enterRoom(answer) {
  const switched = answer.room !== state.room;
  state.nick = answer.nick;
  state.room = answer.room;
  state.joined = true;
  if (answer.limits) state.limits = answer.limits;
  $('#app').dataset.joined = 'true';
  $('#login').hidden = true;
  $('#room-title').textContent = `# ${answer.room}`;
  $('#me-line').replaceChildren(avatar(answer.nick), el('span', { text: answer.nick }));
  $('#text').placeholder = `Message #${answer.room}`;
  if (switched) {
    list.clear();
    typing.clear();
    stopDm();
    for (const m of answer.history ?? []) list.addRoomMessage(m);
    if (!answer.history?.length) list.system(`This is the start of #${answer.room}.`);
  }
  renderMembers(answer.members);
  renderRooms(lastRooms);
  $('#text').focus();
  if (outbox.size && ready()) flush(); // after a failed resume and a new join
}

// After a reconnect: back into the room, fetch what was missed, send what waited.
async function resume() {
  state.resuming = true;
  const answer = await request('join', { nick: state.nick, room: state.room, clientId: state.clientId, resume: true });
  if (!answer.ok) {
    state.resuming = false;
    if (answer.error === 'disconnected' || answer.error === 'timeout') return; // next connect retries
    state.joined = false;
    $('#app').dataset.joined = 'false';
    showLogin(answer.message);
    return;
  }
  renderMembers(answer.members);
  if (answer.limits) state.limits = answer.limits;
  const missed = await request('history-since', { room: state.room, since: list.lastId });
  if (missed.ok) {
    let count = 0;
    for (const m of missed.messages) if (list.addRoomMessage(m)) count++;
    if (count) list.system(`${count} message${count === 1 ? '' : 's'} while you were away`, 'missed');
  }
  state.resuming = false;
  flush();
}

function showLogin(error = '') {
  $('#login').hidden = false;
  $('#login-error').textContent = error;
  $('#nick').value ||= state.nick ?? '';
  $('#nick').focus();
}

$('#login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const nick = $('#nick').value.trim();
  const room = $('#room').value.trim() || 'general';
  const error = !nick ? 'Please choose a nickname.'
    : [...nick].length > state.limits.maxNick ? `Nicknames are at most ${state.limits.maxNick} characters.`
      : '';
  $('#login-error').textContent = error;
  if (error) return;
  $('#join').disabled = true;
  const answer = await join(nick, room);
  $('#join').disabled = false;
  if (answer.ok) enterRoom(answer);
  else $('#login-error').textContent = answer.message ?? 'Could not join.';
});

async function switchRoom(room) {
  if (!state.joined || room === state.room) return;
  if (!socket.connected) {
    notify('You are offline; switch rooms when the connection is back.');
    return;
  }
  const answer = await join(state.nick, room);
  if (answer.ok) enterRoom(answer);
  else notify(answer.message ?? 'Could not join that room.');
}

$('#new-room-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const room = $('#new-room').value.trim();
  if (!room) return;
  $('#new-room').value = '';
  switchRoom(room);
});

// ---- rooms and members ----------------------------------------------------------

// Narrow screens: the menu button shows rooms and people over the conversation.
function setMenu(open) {
  $('#app').dataset.menu = open ? 'open' : 'closed';
  $('#menu').setAttribute('aria-expanded', String(open));
  $('#menu').textContent = open ? '×' : '☰';
}
$('#menu').addEventListener('click', () => setMenu($('#app').dataset.menu !== 'open'));

let lastRooms = [];

socket.on('rooms', (rooms) => {
  if (Array.isArray(rooms)) renderRooms(rooms);
});

function renderRooms(rooms) {
  lastRooms = rooms;
  const items = rooms.map((r) => {
    const button = el('button.room', { type: 'button', title: `Join #${r.name}` },
      el('span.room-name', { text: `# ${r.name}` }), el('span.count', { text: String(r.members) }));
    button.addEventListener('click', () => {
      setMenu(false);
      switchRoom(r.name);
    });
    return el('li', { dataset: { room: r.name }, className: r.name === state.room ? 'active' : '' }, button);
  });
  $('#rooms').replaceChildren(...items);
  const chips = rooms.map((r) => {
    const chip = el('button.chip', { type: 'button' }, el('span', { text: r.name }), el('span.count', { text: String(r.members) }));
    chip.addEventListener('click', () => { $('#room').value = r.name; });
    return el('li', { dataset: { room: r.name } }, chip);
  });
  $('#login-rooms').replaceChildren(...chips);
}

socket.on('presence', (p) => {
  if (!p || p.room !== state.room || !Array.isArray(p.members)) return;
  renderMembers(p.members);
  if (typeof p.joined === 'string' && p.joined !== state.nick) list.system(`${p.joined} joined`);
  if (typeof p.left === 'string' && p.left !== state.nick) {
    list.system(`${p.left} left`);
    typing.stop(p.left);
  }
});

function renderMembers(members) {
  state.members = members;
  const sorted = [...members].sort((a, b) => a.localeCompare(b));
  const items = sorted.map((nick) => {
    const me = nick === state.nick;
    const row = el('button.member', { type: 'button', disabled: me, title: me ? 'You' : `Private message to ${nick}` },
      avatar(nick), el('span.member-name', { text: nick }), me ? el('span.tag', { text: 'you' }) : null);
    if (!me) {
      row.addEventListener('click', () => {
        setMenu(false);
        startDm(nick);
      });
    }
    return el('li', { dataset: { nick } }, row);
  });
  $('#members').replaceChildren(...items);
  $('#member-count').textContent = String(members.length);
  $('#room-sub').textContent = `${members.length} online`;
  if (state.dmTo && !members.includes(state.dmTo)) stopDm();
}

// ---- direct messages ------------------------------------------------------------

function startDm(nick) {
  state.dmTo = nick;
  $('#dm-to').textContent = nick;
  $('#dm-chip').hidden = false;
  $('#composer').classList.add('direct');
  $('#text').placeholder = `Private message to ${nick}`;
  $('#text').focus();
}

function stopDm() {
  state.dmTo = null;
  $('#dm-chip').hidden = true;
  $('#composer').classList.remove('direct');
  if (state.room) $('#text').placeholder = `Message #${state.room}`;
}

$('#dm-cancel').addEventListener('click', stopDm);

socket.on('dm', (dm) => {
  if (!dm || typeof dm.text !== 'string') return;
  list.addDirect(dm);
});

// ---- messages ---------------------------------------------------------------------

socket.on('message', (m) => {
  if (!m || m.room !== state.room) return;
  list.addRoomMessage(m);
  typing.stop(m.from);
});

$('#composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('#text').value;
  if (!text.trim() || !state.joined) return;
  if ([...text].length > state.limits.maxText) {
    notify(`Messages are at most ${state.limits.maxText} characters.`);
    return;
  }
  $('#text').value = '';
  const cid = randomId(8);
  const now = Date.now();
  const status = ready() ? 'pending' : 'queued';
  if (state.dmTo) {
    list.addDirect({ from: state.nick, to: state.dmTo, text, time: now }, { outgoing: true, status, cid });
    submit({ cid, event: 'dm', payload: { to: state.dmTo, text, cid } });
  } else {
    list.addOutgoing(cid, { kind: 'text', from: state.nick, text, time: now }, status);
    submit({ cid, event: 'message', payload: { text, cid } });
    state.lastTypingSent = 0; // receivers clear "typing" on a message: announce the next one
  }
});

$('#file').addEventListener('change', async () => {
  const input = $('#file');
  const file = input.files?.[0];
  input.value = '';
  if (!file || !state.joined) return;
  if (file.size > state.limits.maxUpload) {
    notify(`“${file.name}” is larger than the ${formatBytes(state.limits.maxUpload)} upload limit.`);
    return;
  }
  const data = await file.arrayBuffer();
  const cid = randomId(8);
  const type = file.type || 'application/octet-stream';
  list.addOutgoing(cid, { kind: 'file', from: state.nick, time: Date.now(), file: { name: file.name, type, size: file.size, data } },
    ready() ? 'pending' : 'queued');
  submit({ cid, event: 'upload', payload: { name: file.name, type, data, cid } });
});

// Everything the user sends goes through the outbox: kept until the server
// answers, so nothing typed while offline (or lost in a dropped connection) is lost.
function submit(item) {
  outbox.add(item);
  if (ready()) send(item);
}

async function send(item) {
  list.setStatus(item.cid, 'pending');
  const answer = await request(item.event, item.payload);
  if (!outbox.has(item.cid)) return; // settled meanwhile
  if (answer.ok) {
    outbox.remove(item.cid);
    list.delivered(item.cid, answer, item.event !== 'dm');
  } else if (answer.error === 'disconnected' || answer.error === 'timeout') {
    list.setStatus(item.cid, 'queued'); // sent again after the reconnect (the server de-duplicates)
    if (answer.error === 'timeout' && ready()) send(item);
  } else if (answer.error === 'rate-limited') {
    list.setStatus(item.cid, 'queued');
    setTimeout(() => ready() && outbox.has(item.cid) && send(item), 1000);
  } else {
    outbox.remove(item.cid);
    list.setStatus(item.cid, 'failed', answer.message);
    notify(answer.message ?? 'The server refused the message.');
  }
}

function flush() {
  for (const item of outbox.items()) send(item);
}

// ---- typing ---------------------------------------------------------------------

$('#text').addEventListener('input', () => {
  const now = Date.now();
  if (!ready() || state.dmTo || !$('#text').value || now - state.lastTypingSent < TYPING_EVERY_MS) return;
  state.lastTypingSent = now;
  socket.volatile.emit('typing');
});

socket.on('typing', (t) => {
  if (t && t.room === state.room && typeof t.nick === 'string' && t.nick !== state.nick) typing.start(t.nick);
});

// ---- notices ----------------------------------------------------------------------

function notify(text) {
  const node = el('div.notice', { role: 'alert', text });
  $('#notices').append(node);
  setTimeout(() => node.remove(), NOTICE_MS);
}

function showBanner(text, kind = 'warn') {
  const banner = $('#banner');
  banner.textContent = text;
  banner.dataset.kind = kind;
  banner.hidden = false;
}

function hideBanner() {
  $('#banner').hidden = true;
}

function textOf(value, fallback) {
  return typeof value === 'string' && value ? value : fallback;
}

// A random id for this tab, kept across reloads and reconnects (not shared with
// other tabs), so that the server can tell our stale connection from an impostor.
function tabId() {
  let id = sessionStorage.getItem('sio-chat-client-id');
  if (!id) {
    id = randomId();
    sessionStorage.setItem('sio-chat-client-id', id);
  }
  return id;
}
