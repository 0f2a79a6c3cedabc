// The server's config file (--config chat-server.toml): TOML whose keys are
// the flags' names without "--" (kebab case: max-queue = 1000). Its values
// enter commander as the 'config' source, so a flag beats the environment and
// the environment beats the file, the rule commander already keeps for
// 'default' < 'config' < 'env' < 'cli'. --print-config turns a Config back
// into such a file, with secrets redacted.
import type { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { describeBackend } from './store/open.js';

/** Flags that make no sense in a file. */
const NOT_IN_FILE = new Set(['config', 'print-config', 'help', 'version']);

export class ConfigFileError extends Error {}

/** The --config value (or CHAT_CONFIG), found before commander parses, since it decides the defaults. */
export function configPath(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (arg === '--config') return argv[i + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return env.CHAT_CONFIG || undefined;
}

export function readToml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigFileError(`cannot read the config file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return parse(text);
  } catch (err) {
    const where = err instanceof TomlError ? ` (line ${err.line}, column ${err.column})` : '';
    throw new ConfigFileError(`${file} is not valid TOML${where}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** The option a file key sets, or a reason why there is none. */
function optionFor(program: Command, key: string, file: string): Option {
  const option = program.options.find((o) => o.long === `--${key}`);
  if (option && !NOT_IN_FILE.has(key)) return option;
  const kebab = key.replace(/_/g, '-').toLowerCase();
  const hint = kebab !== key && program.options.some((o) => o.long === `--${kebab}`) ? ` (keys are kebab case: ${kebab})` : '';
  throw new ConfigFileError(`${file}: unknown key '${key}'${hint}; the keys are the flag names without --, see chat-server --help`);
}

/** Loads the file's settings into `program` as the 'config' source; flags and environment still win. */
export function applyConfigFile(program: Command, file: string): void {
  for (const [key, given] of Object.entries(readToml(file))) {
    let raw = given;
    const option = optionFor(program, key, file);
    // Issue 16: a list of names (operators = ["alice", "bob"]) is the flag's comma-separated value.
    if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) raw = raw.join(',');
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      throw new ConfigFileError(`${file}: ${key} should be a string or a number, not ${Array.isArray(raw) ? 'a list' : typeof raw}`);
    }
    let value: unknown = String(raw);
    if (option.parseArg) {
      try {
        value = option.parseArg(String(raw), undefined);
      } catch (err) {
        throw new ConfigFileError(`${file}: ${key} = ${JSON.stringify(raw)}: ${(err as Error).message}`);
      }
    }
    program.setOptionValueWithSource(option.attributeName(), value, 'config');
  }
}

/** A store spec with any password replaced by *** (everything else kept, so the file still works); sqlite with its path. */
export function redactStore(spec: string): string {
  if (!/^rediss?:\/\//i.test(spec)) return describeBackend(spec);
  try {
    const url = new URL(spec);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return spec.replace(/\/\/[^@/]*@/, '//***@');
  }
}
