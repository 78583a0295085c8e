// sio-notify's page: sign in (POST /login gives a signed token, kept in
// localStorage so every tab of this browser uses it), then connect with the
// token as auth. The server sends the inbox on connect, each notification as
// it comes (with the new unread count), and the count again whenever any tab
// marks something read, so all tabs agree. A read receipt is an emit with an
// ack. Text is only ever set as textContent, never parsed as HTML.
'use strict';

const TOKEN_KEY = 'sio-notify-token';
const ACK_MS = 5000; // how long a read receipt waits for the server's answer
const $ = (id) => document.getElementById(id);

let socket = null;
let keep = 50; // the server says how many it keeps per user
let liveCount = 0; // notifications sent straight to the room (not stored by the server)

function setStatus(status) {
  $('status').dataset.status = status;
  $('status').textContent = status;
}

function setUnread(n) {
  $('badge').dataset.count = String(n);
  $('badge').textContent = n > 99 ? '99+' : String(n);
  document.title = n > 0 ? `(${n}) sio-notify` : 'sio-notify';
}

function showLogin(message = '') {
  $('app').hidden = true;
  $('app').dataset.signedIn = 'false';
  $('login').hidden = false;
  $('me').hidden = true;
  $('signout').hidden = true;
  $('login-error').textContent = message;
  setUnread(0);
}

function showApp(user) {
  $('login').hidden = true;
  $('app').hidden = false;
  $('app').dataset.signedIn = 'true';
  $('me').hidden = false;
  $('me').textContent = user;
  $('signout').hidden = false;
  for (const el of document.querySelectorAll('.who')) el.textContent = user;
}

function timeOf(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function itemFor(id) {
  return $('list').querySelector(`li[data-id="${CSS.escape(String(id))}"]`);
}

// One notification as a list item. Stored ones (a numeric id) can be marked
// read; live ones (emitted straight to the room, e.g. by sio-emit) cannot.
function render(n) {
  const stored = typeof n.id === 'number';
  const li = document.createElement('li');
  li.dataset.id = stored ? String(n.id) : `live-${++liveCount}`;
  li.dataset.read = String(stored ? n.read === true : false);
  if (!stored) li.classList.add('live');
  const title = document.createElement('span');
  title.className = 'title';
  title.textContent = String(n.title ?? '(no title)');
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = timeOf(typeof n.at === 'number' ? n.at : Date.now());
  const body = document.createElement('span');
  body.className = 'body';
  body.textContent = String(n.body ?? '');
  li.append(title, time, body);
  if (stored) {
    const mark = document.createElement('button');
    mark.type = 'button';
    mark.className = 'mark-read';
    mark.textContent = 'Mark read';
    mark.addEventListener('click', () => markRead(n.id));
    li.append(mark);
  }
  return li;
}

// Shows `n` unless it is shown already (the inbox of a reconnect may hold a
// notification that also arrives on its own); true when it is new.
function add(n) {
  if (typeof n.id === 'number' && itemFor(n.id)) return false;
  const list = $('list');
  list.prepend(render(n));
  while (list.children.length > keep) list.lastElementChild.remove();
  return true;
}

function showRead(id) {
  const li = itemFor(id);
  if (li) li.dataset.read = 'true';
}

function markRead(id) {
  $('error').textContent = '';
  socket.timeout(ACK_MS).emit('read', id, (err, res) => {
    if (err) return void ($('error').textContent = 'The server did not answer; try again.');
    if (res?.error) return void ($('error').textContent = res.message ?? res.error);
    showRead(id);
    setUnread(res.unread);
  });
}

function connect(token) {
  socket?.disconnect();
  setStatus('connecting');
  socket = io({ auth: { token } });
  socket.on('connect', () => setStatus('connected'));
  socket.on('disconnect', () => setStatus('offline'));
  socket.on('connect_error', (err) => {
    if (err.message === 'invalid token') {
      localStorage.removeItem(TOKEN_KEY);
      socket.disconnect();
      setStatus('offline');
      showLogin('Your sign-in is not valid (expired, or from another server); please sign in again.');
    } else {
      setStatus('connecting'); // the client retries on its own
    }
  });
  // The whole inbox, on every (re)connect: it replaces what the page shows.
  socket.on('inbox', (box) => {
    keep = box.keep ?? keep;
    $('list').replaceChildren();
    for (const n of box.items) add(n);
    setUnread(box.unread);
    showApp(box.user);
  });
  socket.on('notification', (n) => {
    if (add(n) && typeof n.unread === 'number') setUnread(n.unread);
  });
  socket.on('unread', (u) => {
    for (const id of u.read ?? []) showRead(id);
    setUnread(u.unread);
  });
}

async function signIn(name) {
  $('login-error').textContent = '';
  let res;
  let data = {};
  try {
    res = await fetch('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    data = await res.json();
  } catch {
    $('login-error').textContent = 'Cannot reach the server.';
    return;
  }
  if (!res.ok) {
    $('login-error').textContent = data.message ?? `Sign-in failed (${res.status}).`;
    return;
  }
  localStorage.setItem(TOKEN_KEY, data.token);
  connect(data.token);
}

$('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  signIn($('name').value.trim());
});

$('mark-all').addEventListener('click', () => {
  socket?.timeout(ACK_MS).emit('read-all', (err, res) => {
    if (!err && res?.ok) setUnread(res.unread);
  });
});

$('signout').addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  socket?.disconnect();
  socket = null;
  setStatus('offline');
  showLogin();
});

// A sign-in in another tab signs this one in too.
window.addEventListener('storage', (e) => {
  if (e.key === TOKEN_KEY && e.newValue && !socket?.connected) connect(e.newValue);
});

const saved = localStorage.getItem(TOKEN_KEY);
if (saved) connect(saved);
else showLogin();
