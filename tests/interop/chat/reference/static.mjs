// Serves the chat page: files of the web root, and the socket.io-client browser
// bundle at /socket.io-client.js. Same URLs and headers as apps/sio-chat.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const CLIENT_BUNDLE_URL = '/socket.io-client.js';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

// Defence in depth: even if some text slipped into the DOM as HTML, no inline
// script would run. blob: for the attachments the page shows.
export const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' blob: data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

// Path of the file for a URL path, or null: only [A-Za-z0-9._-] segments, no dot files.
export function resolveStatic(webRoot, clientBundle, urlPath) {
  if (urlPath === CLIENT_BUNDLE_URL) return clientBundle;
  const rel = urlPath === '/' ? 'index.html' : urlPath.slice(1);
  const segments = rel.split('/');
  if (!segments.every((s) => /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(s))) return null;
  return path.join(webRoot, ...segments);
}

export function staticHandler(webRoot, clientBundle) {
  return async (req, res) => {
    const urlPath = new URL(req.url, 'http://x').pathname;
    const file = (req.method === 'GET' || req.method === 'HEAD') ? resolveStatic(webRoot, clientBundle, urlPath) : null;
    let body = null;
    if (file) body = await readFile(file).catch(() => null);
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('not found\n');
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
