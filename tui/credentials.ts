// TLS or plain-text channel credentials for the chat-server connection.
import * as grpc from '@grpc/grpc-js';
import { readCaFile } from './ca-file.js';

/** Plain text, or TLS trusting the system's roots or the --ca file (`caPem`: that file, already read). */
export function channelCredentials(args: { tls: boolean; ca?: string; caPem?: Buffer }): grpc.ChannelCredentials {
  if (!args.tls) return grpc.credentials.createInsecure();
  if (!args.caPem && !args.ca) return grpc.credentials.createSsl();
  return grpc.credentials.createSsl(args.caPem ?? readCaFile(args.ca!));
}
