// Files of the repository, named from its root: the tests run compiled in
// dist/test/... (or from source), and neither should know how deep that is.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this file that holds package.json. */
function findRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

export const repoRoot = findRoot();

/** A path inside the repository, e.g. repoPath('test/fixtures/contract.proto'). */
export function repoPath(...parts: string[]): string {
  return path.resolve(repoRoot, ...parts);
}

/** The file package.json installs as `name`: the binary users run, not a copy of its path. */
export function binPath(name: 'chat-server' | 'chat-tui'): string {
  const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { bin: Record<string, string> };
  const bin = pkg.bin[name];
  if (!bin) throw new Error(`package.json has no bin "${name}"`);
  return repoPath(bin);
}
