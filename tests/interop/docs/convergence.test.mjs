// sio-docs with three socket.io-client peers running the page's own OT client
// (web/docs/ot.js) against the C++ server: random concurrent edits (accents,
// combining marks, emoji, CJK), one peer dropping and returning with what it
// typed offline; every peer ends with the server's text. The JS and the C++
// halves of the algorithm must agree for that to hold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocsPeer, serverText } from './lib/docs-client.mjs';
import { startDocs } from './lib/docs-server.mjs';
import { rng } from './lib/random.mjs';

const SEEDS = [1, 2, 3, 4, 5];
const ROUNDS = 60;

const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));

async function settled(peers) {
  for (const p of peers) await p.until(() => p.client.synchronized && p.client.online, 'its edits acknowledged');
  const last = Math.max(...peers.map((p) => p.client.revision));
  for (const p of peers) await p.until(() => p.client.revision === last, `revision ${last}`);
}

for (const seed of SEEDS) {
  test(`three peers, random concurrent edits, a drop and a return converge (seed ${seed})`, async () => {
    const server = await startDocs();
    const peers = [];
    try {
      const rand = rng(seed);
      for (const name of ['ana', 'bo', 'chloé']) peers.push(await DocsPeer.open(server.url, name));
      const [, , dropper] = peers;
      let edits = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        if (round === 20) await dropper.drop();
        if (round === 40) await dropper.reconnect();
        for (const p of peers) {
          if (rand() < 0.7) {
            p.randomEdit(rand);
            edits += 1;
          }
        }
        // Let some answers and broadcasts in, but not all: edits stay concurrent.
        const spins = Math.floor(rand() * 3);
        for (let i = 0; i < spins; i += 1) await yieldToIo();
      }
      await settled(peers);
      const truth = await serverText(server.url);
      for (const p of peers) {
        assert.deepEqual(p.errors, [], `${p.name} got errors`);
        assert.equal(p.client.text, truth.text, `${p.name}'s text differs from the server's`);
        assert.equal(p.client.revision, truth.revision);
      }
      // Every edit made one revision, none twice (the dropper's re-sent ones too):
      // buffered edits are composed into one, so there are at most as many.
      assert.ok(truth.revision > 0 && truth.revision <= edits, `${truth.revision} revisions for ${edits} edits`);
      const concurrent = peers.reduce((n, p) => n + p.concurrent, 0);
      assert.ok(concurrent > 0, 'no edit was concurrent with another');
      console.log(`# seed ${seed}: ${edits} edits, ${truth.revision} revisions, ${concurrent} concurrent, ` +
        `${Array.from(truth.text).length} code points`);
    } finally {
      for (const p of peers) p.close();
      await server.stop();
    }
  });
}
