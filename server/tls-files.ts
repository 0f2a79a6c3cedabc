// The server's TLS pair as a grpc-js certificate provider, so SIGHUP can swap
// it in a running server: grpc-js calls setSecureContext() on its listening
// socket with each update. New connections get the new certificate; open
// connections (and their streams) keep the one they were made with, as TLS
// sessions do. A pair that does not load is refused before it replaces the
// working one.
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { X509Certificate } from 'node:crypto';

type IdentityUpdate = grpc.experimental.IdentityCertificateUpdate;
type IdentityListener = grpc.experimental.IdentityCertificateUpdateListener;

export interface LoadedPair {
  certificate: Buffer;
  privateKey: Buffer;
  /** e.g. "CN=chat.example.org, valid until Jan 15 14:30:15 2026 GMT" */
  summary: string;
  validTo: Date;
}

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read the TLS ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Reads and checks a PEM pair: both readable, PEM, and the key belongs to the certificate. */
export function loadPair(certFile: string, keyFile: string): LoadedPair {
  const certificate = read(certFile, 'certificate');
  const privateKey = read(keyFile, 'key');
  let x509: X509Certificate;
  try {
    createSecureContext({ cert: certificate, key: privateKey });
    x509 = new X509Certificate(certificate);
  } catch (err) {
    throw new Error(`the TLS certificate or key is not usable PEM: ${(err as Error).message}`);
  }
  const subject = x509.subject.split('\n').join(', ');
  return { certificate, privateKey, summary: `${subject}, valid until ${x509.validTo}`, validTo: new Date(x509.validTo) };
}

export class ReloadableCertificate implements grpc.experimental.CertificateProvider {
  private current: IdentityUpdate;
  private readonly listeners = new Set<IdentityListener>();
  summary: string;

  constructor(
    private readonly certFile: string,
    private readonly keyFile: string,
  ) {
    const pair = loadPair(certFile, keyFile);
    this.current = { certificate: pair.certificate, privateKey: pair.privateKey };
    this.summary = pair.summary;
  }

  /** Credentials for bindAsync that follow this provider. */
  credentials(): grpc.ServerCredentials {
    // grpc-js 1.14 names the parameters the other way round: the first is the identity (cert and key).
    return grpc.experimental.createCertificateProviderServerCredentials(this, null, false);
  }

  /** Reads the files again; throws (keeping the working pair) if they do not load. */
  reload(): string {
    const pair = loadPair(this.certFile, this.keyFile);
    this.current = { certificate: pair.certificate, privateKey: pair.privateKey };
    this.summary = pair.summary;
    for (const listener of this.listeners) listener(this.current);
    return pair.summary;
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.listeners.add(listener);
    // On the next tick, as grpc-js's own FileWatcherCertificateProvider does: grpc-js
    // subscribes before it registers the socket's watcher, which would miss a synchronous update.
    process.nextTick(() => {
      if (this.listeners.has(listener)) listener(this.current);
    });
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.listeners.delete(listener);
  }

  addCaCertificateListener(): void {
    // No client certificates: there is no CA to provide.
  }

  removeCaCertificateListener(): void {}
}
