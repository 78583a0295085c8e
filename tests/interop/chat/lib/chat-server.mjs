// Starting the chat server under test: build/bin/sio-chat, or its Node twin.
//
// SIO_CHAT_CMD selects it:
//   unset             ${SIO_BIN_DIR}/sio-chat (ctest sets SIO_BIN_DIR)
//   "reference"       ../reference-server.mjs (npm socket.io; the behaviour to match)
//   any other string  a command line, split on spaces, to which the flags are appended
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { programCommand, startProgram } from '../../lib/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

export function chatCommand() {
  const override = process.env.SIO_CHAT_CMD;
  if (override === 'reference') return [process.execPath, path.join(here, '..', 'reference-server.mjs')];
  if (override) return override.split(' ').filter(Boolean);
  return programCommand('sio-chat');
}

export const isReference = () => process.env.SIO_CHAT_CMD === 'reference';

// Starts the chat on `port` (0: any free port), with `extra` flags after the
// others. Returns startProgram's handle ({url, port, proc, stop, stderr}).
export function startChat({ port = 0, history, maxUpload, logLevel = 'info', extra = [] } = {}) {
  const args = ['--port', String(port), '--host', '127.0.0.1', '--log-level', logLevel, ...extra];
  if (history !== undefined) args.push('--history', String(history));
  if (maxUpload !== undefined) args.push('--max-upload', String(maxUpload));
  return startProgram(chatCommand(), args, { label: 'sio-chat' });
}
