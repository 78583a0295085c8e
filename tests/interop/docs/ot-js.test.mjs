// The page's half of the algorithm (web/docs/ot.js) on its own: the same
// properties as the C++ unit tests (tests/apps/sio-docs/ot_test.cpp) with many
// seeds, the textarea diff on surrogate pairs, and DocClient taking revisions
// in order when an acknowledgement overtakes a broadcast.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apply, Builder, codePoints, compose, diff, DocClient, transform, transformIndex } from '../../../web/docs/ot.js';
import { randomInt, randomText, rng } from './lib/random.mjs';

const SEEDS = 3000;

function randomOp(rand, length) {
  const b = new Builder();
  let left = length;
  while (left > 0) {
    const k = randomInt(rand, 4);
    if (k < 2) {
      const n = 1 + randomInt(rand, Math.min(left, 6));
      b.retain(n);
      left -= n;
    } else if (k === 2) b.insert(randomText(rand, 4));
    else {
      const n = 1 + randomInt(rand, Math.min(left, 4));
      b.remove(n);
      left -= n;
    }
  }
  if (randomInt(rand, 3) === 0) b.insert(randomText(rand, 3));
  return b.done();
}

test('TP1: transform converges, for many seeds, on non-ASCII text', () => {
  for (let seed = 1; seed <= SEEDS; seed += 1) {
    const rand = rng(seed);
    const doc = randomText(rand, 20);
    const len = codePoints(doc).length;
    const a = randomOp(rand, len);
    const b = randomOp(rand, len);
    const [a2, b2] = transform(a, b);
    assert.equal(apply(apply(doc, a), b2), apply(apply(doc, b), a2), `seed ${seed}`);
  }
});

test('compose is applying in turn, for many seeds', () => {
  for (let seed = 1; seed <= SEEDS; seed += 1) {
    const rand = rng(seed);
    const doc = randomText(rand, 20);
    const a = randomOp(rand, codePoints(doc).length);
    const mid = apply(doc, a);
    const b = randomOp(rand, codePoints(mid).length);
    assert.equal(apply(doc, compose(a, b)), apply(mid, b), `seed ${seed}`);
  }
});

test('the same normal form and tie-break as ot.cpp', () => {
  assert.deepEqual(new Builder().retain(2).retain(1).remove(2).insert('x').insert('y').done(), [3, 'xy', -2]);
  const [a2, b2] = transform([1, 'A', 1], [1, 'B', 1]);
  assert.equal(apply(apply('xy', [1, 'A', 1]), b2), 'xABy');
  assert.equal(apply(apply('xy', [1, 'B', 1]), a2), 'xABy');
  assert.equal(apply('a👋é漢z', [1, -1, 1, '🎉', 2]), 'aé🎉漢z');
  const op = [2, '👋👋', 1, -2, 3];
  assert.deepEqual([0, 2, 3, 4, 5, 8].map((i) => transformIndex(i, op)), [0, 2, 5, 5, 5, 8]);
  assert.equal(transformIndex(2, op, true), 4);
});

test('diff never splits a surrogate pair', () => {
  assert.deepEqual(diff('a👋b', 'a👍b'), [1, '👍', -1, 1]); // 👋 and 👍 share their first UTF-16 unit
  assert.deepEqual(diff('ab', 'a🎉b'), [1, '🎉', 1]);
  assert.deepEqual(diff('e\u0301', 'e'), [1, -1]);
  for (let seed = 1; seed <= 500; seed += 1) {
    const rand = rng(seed);
    const a = randomText(rand, 12);
    const b = randomText(rand, 12);
    assert.equal(apply(a, diff(a, b)), b);
  }
});

test('DocClient takes revisions in order when an acknowledgement comes first', () => {
  const sent = [];
  const remote = [];
  const c = new DocClient({ send: (rev, seq, op) => sent.push({ rev, seq, op }), onRemote: (op) => remote.push(op) });
  c.resync({ ok: true, revision: 3, text: 'abc', applied: 0 });
  c.local([3, 'X']);
  assert.deepEqual(sent, [{ rev: 3, seq: 1, op: [3, 'X'] }]);
  c.local([4, 'Y']); // buffered
  // The server applied another page's op as 4 and ours as 5; the ack arrives first.
  c.ack(5);
  assert.equal(c.revision, 3);
  assert.ok(c.inflight, 'still waiting for revision 4');
  c.remote(['Z', 3], 4);
  assert.equal(c.revision, 5);
  assert.equal(c.text, 'ZabcXY');
  assert.deepEqual(remote, [['Z', 5]]); // as applied here, past X and Y
  assert.deepEqual(sent[1], { rev: 5, seq: 2, op: [5, 'Y'] });
});
