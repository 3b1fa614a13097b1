/**
 * @module notifiers/testing/tls
 * A self-signed certificate for 127.0.0.1 and localhost (openssl), for HTTPS fake receivers and ca_file tests.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSigned {
  keyFile: string;
  /** also the CA file that verifies it */
  certFile: string;
  key: Buffer;
  cert: Buffer;
}

/** Writes key.pem and cert.pem into `dir` (valid one day). */
export function selfSignedCert(dir: string): SelfSigned {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  return { keyFile, certFile, key: readFileSync(keyFile), cert: readFileSync(certFile) };
}
