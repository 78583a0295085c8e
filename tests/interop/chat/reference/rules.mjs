// The validation rules of the chat protocol (apps/sio-chat/PROTOCOL.md), as pure
// functions: each returns null when the value is acceptable, else an error code.

export const LIMITS = {
  maxNick: 24, // code points; fits the member list
  maxRoom: 32, // code points; fits the room list
  maxText: 2000, // code points; a long paragraph
  maxFileName: 200, // code points
  maxCid: 64, // characters of a client message id
  maxRooms: 100, // rooms kept in memory
  historyAttachmentBytes: 8 * 1024 * 1024, // attachment bytes kept per room's history
  rememberedCids: 10000, // (clientId, cid) pairs remembered for de-duplication
};

const ASCII_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

// Trims ASCII white space only, so C++ and JavaScript agree.
export function trimAscii(s) {
  return s.replace(ASCII_SPACE, '');
}

export function codePoints(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// Control characters, line/paragraph separators, bidirectional overrides.
function hasForbidden(s) {
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
    if (c === 0x2028 || c === 0x2029) return true;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
  }
  return false;
}

// Same nickname when equal after ASCII lower-casing.
export function nickKey(nick) {
  return nick.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function checkName(value, max, prefix) {
  if (codePoints(value) === 0) return `${prefix}-empty`;
  if (codePoints(value) > max) return `${prefix}-too-long`;
  if (hasForbidden(value)) return `${prefix}-invalid`;
  return null;
}

export const checkNick = (nick) => checkName(nick, LIMITS.maxNick, 'nick');
export const checkRoom = (room) => checkName(room, LIMITS.maxRoom, 'room');

export function checkText(text) {
  if (codePoints(trimAscii(text)) === 0) return 'text-empty';
  if (codePoints(text) > LIMITS.maxText) return 'too-long';
  return null;
}

export function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);
}

// A cid is optional; when present it is a string of 1..maxCid characters.
export function cidOk(cid) {
  return cid === undefined || (typeof cid === 'string' && cid.length > 0 && codePoints(cid) <= LIMITS.maxCid);
}

// "x/y" with token characters, else application/octet-stream.
export function normaliseType(type) {
  return typeof type === 'string' && /^[A-Za-z0-9!#$&^_.+-]{1,64}\/[A-Za-z0-9!#$&^_.+-]{1,64}$/.test(type)
    ? type.toLowerCase()
    : 'application/octet-stream';
}

// Sentences the page shows for each error code.
export const MESSAGES = {
  'bad-request': 'The request was malformed.',
  'nick-empty': 'Please choose a nickname.',
  'nick-too-long': `Nicknames are at most ${LIMITS.maxNick} characters.`,
  'nick-invalid': 'Nicknames cannot contain control or direction characters.',
  'nick-taken': 'That nickname is already taken in this room.',
  'room-empty': 'Please choose a room name.',
  'room-too-long': `Room names are at most ${LIMITS.maxRoom} characters.`,
  'room-invalid': 'Room names cannot contain control or direction characters.',
  'too-many-rooms': 'There are too many rooms; please join an existing one.',
  'not-joined': 'Join a room first.',
  'text-empty': 'The message is empty.',
  'too-long': `Messages are at most ${LIMITS.maxText} characters.`,
  'too-large': 'The file is larger than the upload limit.',
  'no-such-user': 'Nobody with that nickname is in this room.',
  self: 'You cannot send a direct message to yourself.',
  'rate-limited': 'Slow down: too many requests.',
};

export function fail(code, message = MESSAGES[code]) {
  return { ok: false, error: code, message };
}
