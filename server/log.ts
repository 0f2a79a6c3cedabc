// Logs on stderr. Text (the default) is the seed's format,
// "2024-01-15 14:30:15 - INFO - message"; json (--log-format json, for log
// shippers) is one pino object a line: time, level, event, user, room, peer,
// msg. Message text is only ever logged at debug, in either format.
import { pino } from 'pino';
import { clockStamp, dateStamp } from '../protos/rules.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'text' | 'json';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const label: Record<Exclude<LogLevel, 'silent'>, string> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
};

export const logLevels = Object.keys(rank) as LogLevel[];
export const logFormats: LogFormat[] = ['text', 'json'];

/** What a line is about, for the JSON format; the text format keeps the seed's plain message. */
export interface LogFields {
  /** A stable name for the kind of line (join, leave, post, slow_reader, ...). */
  event: string;
  user?: string;
  room?: string;
  peer?: string;
  /** Message text: only on debug lines. */
  text?: string;
}

function formatTime(d: Date): string {
  return `${dateStamp(d)} ${clockStamp(d)}`;
}

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  enabled(level: LogLevel): boolean;
}

/** Lines without fields of their own (startup, shutdown, store errors). */
const DEFAULT_EVENT = 'server';

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l),
  format: LogFormat = 'text',
): Logger {
  if (format === 'json') return jsonLogger(level, write);
  return loggerAt(level, (lvl) => (msg: string) => write(`${formatTime(new Date())} - ${label[lvl]} - ${msg}\n`));
}

/** A Logger whose every level writes through `writer(level)`, when `level` lets it. */
function loggerAt(level: LogLevel, writer: (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: LogFields) => void): Logger {
  const at = (lvl: Exclude<LogLevel, 'silent'>) => {
    const write = writer(lvl);
    return (msg: string, fields?: LogFields) => {
      if (rank[lvl] >= rank[level]) write(msg, fields);
    };
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    enabled: (lvl) => rank[lvl] >= rank[level],
  };
}

function jsonLogger(level: LogLevel, write: (line: string) => void): Logger {
  const p = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (name) => ({ level: name }) },
    },
    // Synchronous, like the text format: nothing is lost when the process exits.
    { write },
  );
  return loggerAt(level, (lvl) => (msg, fields) => p[lvl]({ event: DEFAULT_EVENT, ...fields }, msg));
}
