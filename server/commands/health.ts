// `chat-server health [--server HOST:PORT]`: asks a server's standard health
// service (grpc.health.v1.Health/Check) and exits 0 when it is SERVING, 1
// otherwise: a container healthcheck with no grpc_health_probe to download.
import * as grpc from '@grpc/grpc-js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { service as healthService } from 'grpc-health-check';

interface HealthArgs {
  server: string;
  service: string;
  tls?: boolean;
  ca?: string;
  timeout: number;
}

type CheckClient = grpc.Client & {
  Check(req: { service: string }, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: { status: string }) => void): void;
};

function parse(argv: readonly string[], env: NodeJS.ProcessEnv): HealthArgs {
  const program = new Command('chat-server health')
    .description('ask a chat-server whether it is serving (grpc.health.v1); exit 0 if so, 1 if not')
    .addOption(new Option('--server <host:port>', 'the server to ask').default(`127.0.0.1:${env.CHAT_PORT || 50051}`, '127.0.0.1:$CHAT_PORT or 127.0.0.1:50051'))
    .addOption(new Option('--service <name>', 'the service to ask about ("" is the whole server)').default('chat.ChatService'))
    .addOption(new Option('--tls', 'the server speaks TLS'))
    .addOption(new Option('--ca <file>', 'trust this PEM certificate (implies --tls)'))
    .addOption(
      new Option('--timeout <seconds>', 'give up after this long').default(5).argParser((v) => {
        const n = Number(v);
        if (!(n > 0)) throw new InvalidArgumentError('expected a positive number of seconds');
        return n;
      }),
    )
    .showHelpAfterError('(run chat-server health --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  program.parse([...argv], { from: 'user' });
  return program.opts<HealthArgs>();
}

function credentials(args: HealthArgs): grpc.ChannelCredentials {
  if (!args.tls && !args.ca) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(args.ca ? readFileSync(args.ca) : null);
}

/** grpc-js's "No connection established. Last error: Error: connect ECONNREFUSED ... Resolution note: " cut to its cause. */
function gist(details: string): string {
  return /Last error: (?:Error: )?(.*?)\.?(?: Resolution note:.*)?$/s.exec(details)?.[1] ?? details;
}

/** Resolves with SERVING / NOT_SERVING / ..., or rejects with why the server could not be asked. */
export function checkHealth(target: string, service: string, creds: grpc.ChannelCredentials, timeoutSec: number): Promise<string> {
  const Health = grpc.makeClientConstructor(healthService as unknown as grpc.ServiceDefinition, 'Health');
  const client = new Health(target, creds) as unknown as CheckClient;
  return new Promise<string>((resolve, reject) => {
    client.Check({ service }, { deadline: Date.now() + timeoutSec * 1000 }, (err, res) => {
      client.close();
      if (err || !res) reject(new Error(gist(err?.details || err?.message || 'no answer')));
      else resolve(res.status);
    });
  });
}

export async function healthCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parse(argv, env);
  let status: string;
  try {
    status = await checkHealth(args.server, args.service, credentials(args), args.timeout);
  } catch (err) {
    process.stderr.write(`chat-server health: cannot ask ${args.server}: ${(err as Error).message}\n`);
    return 1;
  }
  if (status !== 'SERVING') {
    process.stderr.write(`chat-server health: ${args.server} is ${status}\n`);
    return 1;
  }
  process.stdout.write(`${args.server}: ${status}\n`);
  return 0;
}
