// socket.io-parser CVE-2023-32695 (GHSA-cqmj-92xf-r6r9, fixed in
// socket.io-parser 3.4.3 / 4.2.3, commit 3b78117 "check the format of the
// event name"; 4.2.4, d9db473, also refuses reserved names): a malformed
// packet such as '2[{"toString":"foo"}]' was decoded, and the server then
// threw an uncaught exception (TypeError: Cannot convert object to primitive
// value) and died.
//
// An EVENT's payload must be an array whose first element is a string that is
// not a reserved name, or a number; anything else is a decoder error, on which
// socket.io closes the connection. Our servers must do the same, and live on.
import { describe, test } from 'node:test';
import { assertDropped, assertPollingDropped } from './lib/sio-raw.mjs';
import { replay, serverFixture } from './lib/servers.mjs';

// Engine.IO message packets ("4" + a Socket.IO packet) the parser refuses.
const MALFORMED = {
  // the fixing commits' own test vectors
  'an object as event name (the advisory\'s packet)': '42[{"toString":"foo"}]',
  'true as event name': '42[true,"foo"]',
  'null as event name': '42[null,"bar"]',
  'the reserved name "connect"': '42["connect"]',
  'the reserved name "disconnect"': '42["disconnect","123"]',
  'the reserved name "newListener"': '42["newListener","x"]',
  'the reserved name "removeListener"': '42["removeListener"]',
  'the reserved name "disconnecting"': '42["disconnecting"]',
  'the reserved name "connect_error"': '42["connect_error"]',
  // other payloads that are not an array starting with a name
  'an object payload': '42{}',
  'a string payload': '42"x"',
  'an empty array': '42[]',
  'an array as event name': '42[["x"],1]',
  'an ack id with an object payload': '421{"a":1}',
  'a truncated payload': '42["some","data"',
  'trailing bytes after the payload': '42["echo"]x',
  'an unknown packet type': '49["echo"]',
  // socket.io 4.8 lets these two through and ignores them (no event name, no
  // ack id to look up); we refuse them as the protocol violations they are
  'no payload': '42',
  'an ACK without an id': '43["x"]',
  'a binary event whose placeholder num is "a"': '451-["x",{"_placeholder":true,"num":"a"}]',
  'a binary event with an object as event name': '451-[{"toString":"foo"},{"_placeholder":true,"num":0}]',
};

for (const kind of ['socketio-echo', 'sio-chat']) {
  describe(kind, () => {
    const server = serverFixture(kind);

    for (const [name, packet] of Object.entries(MALFORMED)) {
      const attachments = packet.startsWith('45') ? [Buffer.from('a')] : [];
      test(`${name} (${JSON.stringify(packet)}) closes the connection`, () =>
        replay(server, () => assertDropped(server, [packet, ...attachments])));
    }

    test('over polling too: the advisory\'s packet ends the session', () =>
      replay(server, () => assertPollingDropped(server, '42[{"toString":"foo"}]')));
  });
}
