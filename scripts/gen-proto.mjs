// Regenerates protos/generated/ from protos/chat.proto (npm run gen:proto).
// Usage: node scripts/gen-proto.mjs [outDir]
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { genTypeArgs } from './proto-options.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = process.argv[2] ?? path.join(root, 'protos', 'generated');
rmSync(outDir, { recursive: true, force: true });
const bin = path.join(root, 'node_modules', '.bin', 'proto-loader-gen-types');
// A relative input path keeps the machine's checkout path out of the generated headers.
execFileSync(bin, [...genTypeArgs, `--outDir=${outDir}`, 'protos/chat.proto'], { cwd: root, stdio: 'inherit' });
