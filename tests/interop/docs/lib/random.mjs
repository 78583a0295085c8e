// Seeded randomness for reproducible runs (the seed is printed), and random
// edits of text mixing ASCII, accents, CJK, emoji (two UTF-16 units each) and
// new lines, so that code-point positions are exercised.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PIECES = ['a', 'b', 'c', 'x', ' ', 'é', 'ñ', '漢', '👋', '🎉', '\n', 'e\u0301'];

export function randomInt(rand, n) {
  return Math.floor(rand() * n);
}

export function randomText(rand, max = 4) {
  let s = '';
  const n = 1 + randomInt(rand, max);
  for (let i = 0; i < n; i += 1) s += PIECES[randomInt(rand, PIECES.length)];
  return s;
}
