// sio-game's page (protocol: apps/sio-game/PROTOCOL.md). The server is
// authoritative: this page only sends inputs (a direction with a sequence
// number, on each change) and draws the snapshots it gets, interpolated
// INTERP_MS in the past so that motion stays smooth between ticks. It shows
// the round-trip time of a ping with an acknowledgement, once a second.
// After a drop it joins again with its token, and gets its player back.
const INTERP_MS = 100;       // drawn this far behind the newest snapshot
const PING_EVERY_MS = 1000;
const KEEP_SNAPSHOTS = 32;
const SAVED = 'sio-game';    // sessionStorage: {room, name, token} of this tab

const $ = (sel) => document.querySelector(sel);
const socket = io();         // the page's own origin, /socket.io/

const state = {
  room: null, me: 0, token: '', tickRate: 30,
  arena: { width: 960, height: 600, playerRadius: 14, coinRadius: 8 },
  snapshots: [],             // [{tick, at (performance.now()), players: Map(id -> p), coins}]
  seq: 0, dx: 0, dy: 0,
};

// ---- connection ----
function setStatus(status, text) {
  $('#status').dataset.status = status;
  $('#status-text').textContent = text;
}

socket.on('connect', () => {
  setStatus('connected', 'Connected');
  const saved = load();
  if (saved?.room && saved.token) join(saved.room, saved.name, saved.token);
  else refreshRooms();
});
socket.on('disconnect', () => setStatus('disconnected', 'Reconnecting…'));
socket.on('rooms', (list) => showRooms(list.rooms));
socket.on('state', (s) => onSnapshot(s));
socket.on('game-error', (e) => {
  if (e.error === 'replaced') { leaveLocally(); showError('#lobby-error', e); return; }
  showError(state.room ? '#game-error' : '#lobby-error', e);
});

function request(event, payload) {
  return new Promise((resolve) => {
    socket.timeout(5000).emit(event, payload, (err, answer) =>
      resolve(err ? { ok: false, error: 'timeout', message: 'The server did not answer.' } : answer));
  });
}

function load() {
  try { return JSON.parse(sessionStorage.getItem(SAVED)); } catch { return null; }
}

// ---- lobby ----
async function refreshRooms() {
  const answer = await request('list', {});
  if (answer.ok) showRooms(answer.rooms);
}

function showRooms(rooms) {
  const ul = $('#rooms');
  ul.replaceChildren(...rooms.map((r) => {
    const li = document.createElement('li');
    li.dataset.room = r.name;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = r.name;
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = `${r.players} playing`;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Join';
    button.addEventListener('click', () => join(r.name, $('#name').value));
    li.append(name, count, button);
    return li;
  }));
}

$('#new-room-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const room = $('#new-room').value.trim();
  const created = await request('create', { room });
  if (!created.ok) { showError('#lobby-error', created); return; }
  $('#new-room').value = '';
  join(room, $('#name').value);
});

async function join(room, name, token) {
  const answer = await request('join', { room, name, token });
  if (!answer.ok) {
    if (token) { sessionStorage.removeItem(SAVED); refreshRooms(); } // that player is gone
    showError('#lobby-error', answer);
    return;
  }
  Object.assign(state, { room: answer.room, me: answer.you, token: answer.token, tickRate: answer.tickRate,
    arena: answer.arena, snapshots: [] });
  // A returning page goes on numbering its inputs after what the server applied.
  const mine = answer.state.players.find((p) => p.id === answer.you);
  state.seq = Math.max(state.seq, mine ? mine.seq : 0);
  state.dx = state.dy = 0;
  sessionStorage.setItem(SAVED, JSON.stringify({ room: answer.room, name, token: answer.token }));
  onSnapshot(answer.state);
  $('#lobby-error').hidden = true;
  $('#game-error').hidden = true;
  $('#app').dataset.joined = 'true';
  $('#app').dataset.room = answer.room;
  $('#room-title').textContent = `Room ${answer.room}`;
  $('#lobby').hidden = true;
  $('#game').hidden = false;
  $('#arena').focus();
  sendInput();
}

$('#leave').addEventListener('click', async () => {
  await request('leave', {});
  leaveLocally();
  refreshRooms();
});

function leaveLocally() {
  sessionStorage.removeItem(SAVED);
  state.room = null;
  state.me = 0;
  $('#app').dataset.joined = 'false';
  delete $('#app').dataset.room;
  $('#room-title').textContent = '';
  $('#game').hidden = true;
  $('#lobby').hidden = false;
}

function showError(sel, e) {
  const p = $(sel);
  p.textContent = e.message;
  p.dataset.code = e.error;
  p.hidden = false;
}

// ---- inputs: one per change of direction, numbered ----
const held = new Set();
const KEYS = { ArrowLeft: [-1, 0], a: [-1, 0], ArrowRight: [1, 0], d: [1, 0], ArrowUp: [0, -1], w: [0, -1],
  ArrowDown: [0, 1], s: [0, 1] };

function sendInput() {
  if (!state.room || !socket.connected) return; // after a drop, join() sends the keys held

  let dx = 0;
  let dy = 0;
  for (const k of held) { dx += KEYS[k][0]; dy += KEYS[k][1]; }
  dx = Math.sign(dx);
  dy = Math.sign(dy);
  if (dx === state.dx && dy === state.dy) return;
  state.dx = dx;
  state.dy = dy;
  state.seq += 1;
  socket.emit('input', { seq: state.seq, dx, dy });
}

window.addEventListener('keydown', (e) => {
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (!KEYS[k] || !state.room || e.target instanceof HTMLInputElement) return;
  e.preventDefault();
  held.add(k);
  sendInput();
});
window.addEventListener('keyup', (e) => {
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (!held.delete(k)) return;
  sendInput();
});
window.addEventListener('blur', () => { held.clear(); sendInput(); });

// ---- round-trip time ----
setInterval(() => {
  if (!socket.connected) return;
  const sent = performance.now();
  socket.timeout(PING_EVERY_MS * 3).emit('ping', {}, (err) => {
    if (err) return;
    const rtt = Math.round(performance.now() - sent);
    $('#rtt').dataset.rtt = String(rtt);
    $('#rtt').textContent = `RTT ${rtt} ms`;
  });
}, PING_EVERY_MS);

// ---- snapshots ----
function onSnapshot(s) {
  if (s.room !== state.room) return;
  const last = state.snapshots[state.snapshots.length - 1];
  if (last && s.tick <= last.tick) return; // older than what we have
  state.snapshots.push({ tick: s.tick, at: performance.now(), players: new Map(s.players.map((p) => [p.id, p])),
    coins: s.coins });
  if (state.snapshots.length > KEEP_SNAPSHOTS) state.snapshots.shift();
  showPlayers(s.players);
}

const hue = (id) => (id * 137) % 360;

// The player list, with each one's position as data attributes (what tests read).
function showPlayers(players) {
  const sorted = [...players].sort((a, b) => b.score - a.score || a.id - b.id);
  const ol = $('#players');
  ol.replaceChildren(...sorted.map((p) => {
    const li = document.createElement('li');
    Object.assign(li.dataset, { id: p.id, name: p.name, x: p.x, y: p.y, score: p.score, on: p.on, seq: p.seq });
    if (p.id === state.me) li.classList.add('me');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = `hsl(${hue(p.id)} 80% 60%)`;
    const name = document.createElement('span');
    name.className = 'pname';
    name.textContent = p.id === state.me ? `${p.name} (you)` : p.name;
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = p.score;
    li.append(sw, name, score);
    return li;
  }));
}

// Where everyone was INTERP_MS ago, between the two snapshots around that time
// (in ticks: the server's clock, estimated from the newest snapshot's arrival).
function interpolated() {
  const snaps = state.snapshots;
  if (snaps.length === 0) return null;
  const newest = snaps[snaps.length - 1];
  const ticksPerMs = state.tickRate / 1000;
  const t = newest.tick + (performance.now() - newest.at - INTERP_MS) * ticksPerMs;
  let a = snaps[0];
  let b = newest;
  for (let i = snaps.length - 1; i > 0; i -= 1) {
    if (snaps[i - 1].tick <= t) { a = snaps[i - 1]; b = snaps[i]; break; }
  }
  const f = b.tick === a.tick ? 1 : Math.min(1, Math.max(0, (t - a.tick) / (b.tick - a.tick)));
  const players = [];
  for (const [id, pb] of b.players) {
    const pa = a.players.get(id) ?? pb;
    players.push({ ...pb, x: pa.x + (pb.x - pa.x) * f, y: pa.y + (pb.y - pa.y) * f });
  }
  return { players, coins: b.coins };
}

function draw() {
  requestAnimationFrame(draw);
  if (!state.room) return;
  const canvas = $('#arena');
  const ctx = canvas.getContext('2d');
  const { width, height, playerRadius, coinRadius } = state.arena;
  if (canvas.width !== width) { canvas.width = width; canvas.height = height; }
  ctx.fillStyle = '#0f172a';
  ctx.fillRect(0, 0, width, height);
  ctx.strokeStyle = '#1e293b';
  ctx.lineWidth = 1;
  for (let x = 40; x < width; x += 40) { ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, height); ctx.stroke(); }
  for (let y = 40; y < height; y += 40) { ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(width, y); ctx.stroke(); }
  const view = interpolated();
  if (!view) return;
  for (const [, x, y] of view.coins) {
    ctx.fillStyle = '#fbbf24';
    ctx.beginPath(); ctx.arc(x, y, coinRadius, 0, Math.PI * 2); ctx.fill();
  }
  ctx.font = '13px system-ui, sans-serif';
  ctx.textAlign = 'center';
  for (const p of view.players) {
    ctx.globalAlpha = p.on ? 1 : 0.35;
    ctx.fillStyle = `hsl(${hue(p.id)} 80% 60%)`;
    ctx.beginPath(); ctx.arc(p.x, p.y, playerRadius, 0, Math.PI * 2); ctx.fill();
    if (p.id === state.me) {
      ctx.strokeStyle = '#fff'; ctx.lineWidth = 3;
      ctx.beginPath(); ctx.arc(p.x, p.y, playerRadius + 3, 0, Math.PI * 2); ctx.stroke();
    }
    ctx.fillStyle = '#e5e7eb';
    ctx.fillText(`${p.name} ${p.score}`, p.x, p.y - playerRadius - 6);
    ctx.globalAlpha = 1;
  }
}
requestAnimationFrame(draw);
