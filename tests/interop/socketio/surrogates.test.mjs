// Strings holding lone UTF-16 surrogates (half of an emoji cut by substring),
// which JSON.stringify writes as "\ud800" escapes: socket.io-client sends
// them to socketio-echo, which must keep the connection and send back the
// same JavaScript strings, in events and acknowledgements, over every
// transport mode.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MODES, ask, connect, programFixture } from './helpers.mjs';

const emoji = '\u{1F600}';
const ARGS = [
  '\ud800',                        // a lone high surrogate
  '\udc00',                        // a lone low surrogate
  '\ud800A',                       // a high surrogate followed by something else
  '\udc00\ud800',                  // low then high: two lone ones, not a pair
  `x${emoji.substring(0, 1)}`,     // half an emoji
  `${emoji}${emoji.substring(1)}`, // a whole emoji, then the second half of another
  { '\udbff': ['\udfff', 1] },     // in keys and nested values
];

describe('lone surrogates', () => {
  const server = programFixture('socketio-echo');
  for (const mode of Object.keys(MODES)) {
    describe(mode, () => {
      test('an event comes back with the same strings, and the connection stays', async (t) => {
        const s = await connect(t, server.url, { mode, record: ['echo'] });
        s.emit('echo', ...ARGS);
        assert.deepEqual(await s.recorded.echo.next(), ARGS);
        // Still connected: a second round trip works.
        s.emit('echo', 'after');
        assert.deepEqual(await s.recorded.echo.next(), ['after']);
        assert.equal(s.connected, true);
      });

      test('an acknowledgement carries them back', async (t) => {
        const s = await connect(t, server.url, { mode });
        assert.deepEqual(await ask(s, 'echo', ...ARGS), ARGS);
      });
    });
  }
});
