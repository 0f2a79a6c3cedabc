// Reads the deployment files (Dockerfile, deploy/compose.yaml,
// deploy/chat-server.service) so the deploy test runs exactly the commands
// they hold. Each format is read only as far as these files use it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const read = (file: string): string => readFileSync(`${ROOT}${file}`, 'utf8');

export interface Dockerfile {
  /** Sources the build stage copies in (COPY without --from). */
  buildCopies: string[][];
  /** [from, to] for every COPY --from=build of the final stage. */
  runtimeCopies: Array<[string, string]>;
  env: Record<string, string>;
  entrypoint: string[];
  healthcheck: string[];
}

export function dockerfile(): Dockerfile {
  // Continuation lines joined, comments dropped.
  const lines = read('Dockerfile').replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages = lines.reduce<string[][]>((acc, l) => (l.startsWith('FROM ') ? [...acc, [l]] : (acc.at(-1)?.push(l), acc)), []);
  const [build = [], runtime = []] = stages;
  const json = (l: string | undefined, what: string): string[] => {
    const m = /(\[.*\])\s*$/.exec(l ?? '');
    if (!m?.[1]) throw new Error(`Dockerfile: no ${what} in exec form`);
    return JSON.parse(m[1]) as string[];
  };
  const env: Record<string, string> = {};
  for (const l of runtime.filter((x) => x.startsWith('ENV '))) {
    for (const m of l.slice(4).matchAll(/(\w+)=(\S+)/g)) env[m[1] as string] = m[2] as string;
  }
  return {
    buildCopies: build.filter((l) => l.startsWith('COPY ') && !l.includes('--from')).map((l) => l.split(/\s+/).slice(1)),
    runtimeCopies: runtime
      .filter((l) => l.startsWith('COPY --from=build '))
      .map((l) => l.split(/\s+/).slice(2).map((p) => p.replace(/^\/app\//, '')) as [string, string]),
    env,
    entrypoint: json(runtime.find((l) => l.startsWith('ENTRYPOINT ')), 'ENTRYPOINT'),
    healthcheck: json(runtime.find((l) => l.startsWith('HEALTHCHECK ')), 'HEALTHCHECK'),
  };
}

/** service name -> its `command` list, from deploy/compose.yaml (each a JSON list on one line). */
export function composeCommands(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let service = '';
  for (const line of read('deploy/compose.yaml').split('\n')) {
    const header = /^ {2}([\w-]+):\s*$/.exec(line);
    if (header?.[1]) service = header[1];
    const command = /^ {4}command:\s*(\[.*\])\s*$/.exec(line);
    if (command?.[1]) out.set(service, JSON.parse(command[1]) as string[]);
  }
  return out;
}

/** The unit's Key=value settings (the last of each key). */
export function systemdUnit(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of read('deploy/chat-server.service').split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line.trim());
    if (m?.[1]) out.set(m[1], m[2] ?? '');
  }
  return out;
}

export function sampleConfig(): string {
  return read('deploy/chat-server.toml');
}
