import { LoggerService } from '@nestjs/common';
import { currentContext } from './request-context';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const colors: Record<Level, string> = { debug: '90', info: '36', warn: '33', error: '31' };
/** Nest's start-up chatter (one line per module and route) is debug, not info. */
const CHATTY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/**
 * Structured logs: one JSON object per line (LOG_FORMAT=json, the default) or a compact
 * human line (LOG_FORMAT=pretty, used by `npm start`). Every line carries the request id
 * of the request being served, when there is one.
 */
export class JsonLogger implements LoggerService {
  private readonly min: number;
  private readonly pretty: boolean;

  constructor(
    private readonly service: string,
    level = process.env.LOG_LEVEL ?? 'info',
    format = process.env.LOG_FORMAT ?? 'json',
  ) {
    this.min = order[(level as Level) in order ? (level as Level) : 'info'];
    this.pretty = format === 'pretty';
  }

  log(message: unknown, context?: string): void {
    this.write(context && CHATTY.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, context, trace);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  private write(level: Level, message: unknown, context?: string, trace?: string): void {
    if (order[level] < this.min) return;
    const requestId = currentContext()?.requestId;
    const fields =
      typeof message === 'object' && message !== null && !(message instanceof Error)
        ? (message as Record<string, unknown>)
        : { msg: message instanceof Error ? message.message : String(message) };
    const stack = trace ?? (message instanceof Error ? message.stack : undefined);
    if (this.pretty) {
      const { msg, ...rest } = fields;
      const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
      const rid = requestId ? ` [${requestId.slice(0, 8)}]` : '';
      const ctx = context ? ` ${context}:` : '';
      const line = `\x1b[${colors[level]}m${level.toUpperCase().padEnd(5)}\x1b[0m${rid}${ctx} ${msg ?? ''}${extra}`;
      process.stdout.write(line + (stack && level === 'error' ? `\n${stack}` : '') + '\n');
      return;
    }
    const entry = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      context,
      requestId,
      ...fields,
      ...(stack && level === 'error' ? { stack } : {}),
    };
    process.stdout.write(JSON.stringify(entry) + '\n');
  }
}
