// node:test fixtures: a server started before the tests of the enclosing suite
// (or file) and stopped after them.
import { after, before } from 'node:test';
import { startEngineIoEcho } from './server.mjs';

// Registers before/after hooks around the Engine.IO echo server started with
// `opts` (see startEngineIoEcho); the returned object exposes its url once running.
export function engineIoEchoFixture(opts = {}) {
  const fixture = {
    server: null,
    get url() {
      if (!this.server) throw new Error('engineio-echo is not running');
      return this.server.url;
    },
  };
  before(async () => {
    fixture.server = await startEngineIoEcho(opts);
  });
  after(async () => {
    await fixture.server?.stop();
  });
  return fixture;
}
