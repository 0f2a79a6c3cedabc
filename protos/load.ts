// Loads protos/chat.proto at run time with the options the generated types were
// made with (scripts/proto-options.mjs holds the generator's twin; a test keeps
// them equal).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType } from './generated/chat.js';

export const PROTO_PATH = fileURLToPath(new URL('../../protos/chat.proto', import.meta.url));

export const loaderOptions: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

export function loadChatPackage(): { packageDefinition: protoLoader.PackageDefinition; proto: ProtoGrpcType } {
  const packageDefinition = protoLoader.loadSync(PROTO_PATH, loaderOptions);
  const proto = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;
  return { packageDefinition, proto };
}
