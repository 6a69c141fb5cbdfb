import { channel } from 'node:diagnostics_channel';
import { redact } from './internal/redact.js';

/**
 * Every line the SDK logs is published here as `{ level, message }` after redaction, whichever logger is
 * configured (the silent one too), so tests can check that no log line carries a secret. Free when unobserved.
 */
export const LOG_CHANNEL = 'zcrmsdk:log';
const logChannel = channel(LOG_CHANNEL);

/** A redacted log line as published on LOG_CHANNEL. */
export interface LogRecord {
  level: Exclude<LogLevel, 'silent'>;
  message: string;
}

// Marks loggers that already redact and publish, so wrapping them again does not log twice.
const SAFE = Symbol('zcrmsdk.safeLogger');

function publish(level: LogRecord['level'], message: string): string {
  const safe = redact(message);
  if (logChannel.hasSubscribers) logChannel.publish({ level, message: safe } satisfies LogRecord);
  return safe;
}

/** Where the SDK writes what it does. Messages are redacted before they reach it. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A logger that writes `[zcrmsdk] level: message` to the console at or above `level` (default `info`). */
export function consoleLogger(level: LogLevel = 'info'): Logger {
  const min = ORDER[level];
  const write = (lvl: Exclude<LogLevel, 'silent'>, message: string): void => {
    if (ORDER[lvl] < min) {
      if (logChannel.hasSubscribers) publish(lvl, message);
      return;
    }
    const line = `[zcrmsdk] ${lvl}: ${publish(lvl, message)}`;
    if (lvl === 'error' || lvl === 'warn') console.error(line);
    else console.log(line);
  };
  const logger: Logger = {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
  Object.defineProperty(logger, SAFE, { value: true });
  return logger;
}

/** Wraps a user-supplied logger so that every message is redacted first. */
export function safeLogger(logger: Logger): Logger {
  if (logger === silentLogger || (SAFE in logger && logger[SAFE] === true)) return logger;
  const wrapped = {
    debug: (m: string) => logger.debug(publish('debug', m)),
    info: (m: string) => logger.info(publish('info', m)),
    warn: (m: string) => logger.warn(publish('warn', m)),
    error: (m: string) => logger.error(publish('error', m)),
  };
  Object.defineProperty(wrapped, SAFE, { value: true });
  return wrapped;
}

const publishOnly = (level: LogRecord['level']) => (message: string) => {
  if (logChannel.hasSubscribers) publish(level, message);
};

/** A logger that drops everything (its lines still reach LOG_CHANNEL when someone listens). */
export const silentLogger: Logger = { debug: publishOnly('debug'), info: publishOnly('info'), warn: publishOnly('warn'), error: publishOnly('error') };
