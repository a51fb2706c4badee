import {
  ArgumentsHost,
  CallHandler,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Observable, throwError } from 'rxjs';
import { DomainError, SerializedError, ValidationError } from './errors';
import { openRequestContext, RequestContext } from './request-context';

/** Every RPC message: the caller's context next to the operation's input. */
export interface RpcRequest<T = unknown> {
  ctx: RequestContext;
  data: T;
}

/** The tenant scope every workspace-level query must filter by. */
export interface Scope {
  tenantId: string;
  workspaceId: string;
}

export function scopeOf(ctx: RequestContext): Scope {
  if (!ctx.tenantId || !ctx.workspaceId) {
    throw new DomainError('WORKSPACE_REQUIRED', 'This operation needs a workspace API key', 403);
  }
  return { tenantId: ctx.tenantId, workspaceId: ctx.workspaceId };
}

/**
 * Runs each RPC handler inside the caller's request context so logs carry its request id; the
 * context is closed when the handler's answer is complete (openRequestContext).
 */
@Injectable()
export class RpcContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const payload = context.switchToRpc().getData<Partial<RpcRequest>>();
    const ctx: RequestContext = payload?.ctx ?? { requestId: randomUUID() };
    return new Observable((subscriber) => {
      const { result, done } = openRequestContext(ctx, () => next.handle().subscribe(subscriber));
      return () => {
        result.unsubscribe();
        done();
      };
    });
  }
}

/**
 * Turns anything a handler throws into a SerializedError for the caller. Domain errors keep
 * their code and status; anything else is logged here with its stack and reported as 500
 * without internals.
 */
@Catch()
export class RpcErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => toSerializedError(exception, this.logger));
  }
}

export function toSerializedError(exception: unknown, logger?: Logger): SerializedError {
  if (exception instanceof DomainError) return exception.toJSON();
  const pgCode = (exception as { code?: string })?.code;
  // Postgres rejects malformed input (bad uuid, out-of-range number) with class 22 codes.
  if (typeof pgCode === 'string' && pgCode.startsWith('22')) {
    return new ValidationError(`Invalid value: ${(exception as Error).message}`).toJSON();
  }
  logger?.error(exception instanceof Error ? exception : String(exception));
  return { code: 'INTERNAL', message: 'Something went wrong', status: 500 };
}
