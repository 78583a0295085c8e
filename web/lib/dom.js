// Small DOM helpers. Every piece of user-supplied text reaches the page through
// textContent (never innerHTML), so HTML in messages and names is shown, not run.

// el('li.msg.own', {dataset: {id: 'x'}}, child, 'text', ...) -> HTMLElement
export function el(spec, props = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const node = document.createElement(tag || 'div');
  if (classes.length) node.className = classes.join(' ');
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'text') node.textContent = value;
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

// A stable hue per name, for avatars.
export function hueOf(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) % 360;
  return h;
}

export function avatar(name) {
  const node = el('span.avatar', { text: [...name][0]?.toUpperCase() ?? '?', 'aria-hidden': 'true' });
  node.style.setProperty('--hue', String(hueOf(name)));
  return node;
}

export function clockTime(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function formatBytes(n) {
  if (n >= 1048576) return `${+(n / 1048576).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

// Random id from crypto.getRandomValues (crypto.randomUUID needs a secure
// context, which a LAN address over http is not).
export function randomId(bytes = 16) {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
