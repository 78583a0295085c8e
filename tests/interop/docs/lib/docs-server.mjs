// Starting build/bin/sio-docs under test (ctest sets SIO_BIN_DIR).
import { programCommand, startProgram } from '../../lib/server.mjs';

// Returns startProgram's handle ({url, port, proc, stop, stderr}).
export function startDocs({ maxLength, history, extra = [] } = {}) {
  const args = ['--port', '0', '--host', '127.0.0.1', ...extra];
  if (maxLength !== undefined) args.push('--max-length', String(maxLength));
  if (history !== undefined) args.push('--history', String(history));
  return startProgram(programCommand('sio-docs'), args, { label: 'sio-docs' });
}
