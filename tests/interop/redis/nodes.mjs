// Cluster nodes for the scale-out tests, all speaking one protocol (see
// cluster_node.cpp): "cpp" is our sio-cluster-node, "node" is a Node
// socket.io server on @socket.io/redis-adapter (node-server.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { programCommand, startProgram } from '../lib/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

export function startNode(kind, name, redisUrl) {
  const args = ['--redis', redisUrl, '--name', name];
  if (kind === 'cpp') {
    // Two event loops, so that polling requests of one session also cross
    // loops inside a node. SIO_CLUSTER_THREADS overrides it.
    const threads = process.env.SIO_CLUSTER_THREADS ?? '2';
    return startProgram(programCommand('sio-cluster-node'), ['--port', '0', '--threads', threads, ...args], { label: name });
  }
  return startProgram([process.execPath, path.join(here, 'node-server.mjs')], args, { label: name });
}
