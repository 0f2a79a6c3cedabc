// Runs every dist/test/**/*.test.js with node's test runner (Node 20's --test
// takes no globs, and a bare directory would also run the helpers as tests).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.join('dist', 'test');
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.js'))
  .map((f) => path.join(root, f))
  .sort();
const result = spawnSync(process.execPath, ['--test', '--test-timeout=120000', ...files, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
