// Logs on stderr in the seed's format: "2024-01-15 14:30:15 - INFO - message".
import { clockStamp, dateStamp } from '../protos/rules.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const label: Record<Exclude<LogLevel, 'silent'>, string> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
};

export const logLevels = Object.keys(rank) as LogLevel[];

function formatTime(d: Date): string {
  return `${dateStamp(d)} ${clockStamp(d)}`;
}

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  enabled(level: LogLevel): boolean;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string) => {
    if (rank[lvl] >= rank[level]) write(`${formatTime(new Date())} - ${label[lvl]} - ${msg}\n`);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    enabled: (lvl) => rank[lvl] >= rank[level],
  };
}
