// A throwaway PKI made with the openssl command line in a temp directory: a
// CA, server certificates for 127.0.0.1 (subjectAltName IP:127.0.0.1) it
// signs, client certificates for mutual TLS, and a second CA nobody trusts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const DAYS = '2';

function openssl(args, input) {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

function newKey(keyFile) {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile]);
}

export class Pki {
  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'sio-pki-'));
    this.ca = this.makeCa('ca', 'sio test CA');
  }

  file(name) {
    return path.join(this.dir, name);
  }

  // A self-signed CA: { cert, key } (paths).
  makeCa(name, cn) {
    const key = this.file(`${name}.key`);
    const cert = this.file(`${name}.pem`);
    newKey(key);
    openssl(['req', '-x509', '-new', '-key', key, '-out', cert, '-days', DAYS, '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    return { cert, key };
  }

  // A leaf certificate signed by `ca`: { cert, key, serial } (serial: hex, as
  // node's getPeerCertificate() reports it). `usage`: serverAuth or clientAuth.
  makeLeaf(name, { ca = this.ca, usage = 'serverAuth', serial } = {}) {
    const key = this.file(`${name}.key`);
    const csr = this.file(`${name}.csr`);
    const cert = this.file(`${name}.pem`);
    const ext = this.file(`${name}.ext`);
    newKey(key);
    openssl(['req', '-new', '-key', key, '-out', csr, '-subj', usage === 'serverAuth' ? '/CN=127.0.0.1' : `/CN=${name}`]);
    writeFileSync(ext, `subjectAltName=IP:127.0.0.1\nextendedKeyUsage=${usage}\n`);
    const s = serial ?? Math.floor(Math.random() * 0xffffff) + 0x100000;
    openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', String(s), '-days', DAYS,
      '-out', cert, '-extfile', ext]);
    return { cert, key, serial: s.toString(16).toUpperCase() };
  }

  // base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo (what
  // chromium's --ignore-certificate-errors-spki-list takes).
  spkiHash(certFile) {
    const pub = openssl(['x509', '-in', certFile, '-pubkey', '-noout']);
    const der = openssl(['pkey', '-pubin', '-outform', 'der'], pub);
    return openssl(['dgst', '-sha256', '-binary'], der).toString('base64');
  }

  read(file) {
    return readFileSync(file);
  }

  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
