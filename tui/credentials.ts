// TLS or plain-text channel credentials for the chat-server connection.
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';

/** Plain text, or TLS trusting the system's roots or the --ca file. */
export function channelCredentials(args: { tls: boolean; ca?: string }): grpc.ChannelCredentials {
  if (!args.tls) return grpc.credentials.createInsecure();
  if (!args.ca) return grpc.credentials.createSsl();
  let pem: Buffer;
  try {
    pem = readFileSync(args.ca);
  } catch (err) {
    throw new Error(`cannot read the CA certificate ${args.ca}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return grpc.credentials.createSsl(pem);
}
