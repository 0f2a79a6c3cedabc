// Fails when protos/generated/ is stale: regenerates into a temp dir and diffs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const committed = path.join(root, 'protos', 'generated');
const fresh = mkdtempSync(path.join(tmpdir(), 'chat-proto-'));

function list(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? list(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

try {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'gen-proto.mjs'), fresh], { stdio: 'inherit' });
  const want = list(fresh).sort();
  const have = list(committed).sort();
  const stale = want.filter(
    (f) => !have.includes(f) || readFileSync(path.join(fresh, f), 'utf8') !== readFileSync(path.join(committed, f), 'utf8'),
  );
  const extra = have.filter((f) => !want.includes(f));
  if (stale.length || extra.length) {
    console.error(`protos/generated is out of date (${[...stale, ...extra].join(', ')}); run: npm run gen:proto`);
    process.exit(1);
  }
  console.log(`proto types up to date (${want.length} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
