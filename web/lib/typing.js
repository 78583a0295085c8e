// "X is typing…": who sent a typing notice lately. Notices arrive at most every
// 1.5 s from a typing person (and are volatile, so some may be lost), so a name
// is dropped 4 s after its last notice, or at once when their message arrives.
import { el } from './dom.js';

const FORGET_AFTER_MS = 4000;

export class TypingIndicator {
  constructor(root) {
    this.root = root;
    this.timers = new Map(); // nick -> timeout
  }

  start(nick) {
    clearTimeout(this.timers.get(nick));
    this.timers.set(nick, setTimeout(() => this.stop(nick), FORGET_AFTER_MS));
    this.render();
  }

  stop(nick) {
    if (!this.timers.has(nick)) return;
    clearTimeout(this.timers.get(nick));
    this.timers.delete(nick);
    this.render();
  }

  clear() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.render();
  }

  render() {
    const names = [...this.timers.keys()];
    let text = '';
    if (names.length === 1) text = `${names[0]} is typing…`;
    else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
    else if (names.length > 2) text = 'Several people are typing…';
    this.root.replaceChildren(...(text ? [el('span.dots', { 'aria-hidden': 'true' }, el('i'), el('i'), el('i')), el('span', { text })] : []));
    this.root.dataset.active = names.length ? 'true' : 'false';
  }
}
