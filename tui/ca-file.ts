// Reading --ca's PEM file: before the full screen starts (a mistake is one
// line on the normal screen, exit 2), and without loading gRPC for it.
import { readFileSync } from 'node:fs';

export function readCaFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read the CA certificate ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
