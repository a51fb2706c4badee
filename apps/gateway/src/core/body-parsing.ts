import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { Observable } from 'rxjs';
import { DomainError } from '@app/common';

type WithBodyError = Request & { bodyError?: DomainError | PayloadTooLargeException };

/**
 * Body parsers whose errors wait until after authentication: a request with a bad key gets
 * 401 whatever its body, and only an authenticated caller learns its JSON was malformed (400)
 * or too large (413).
 */
export function deferredBodyParsers(limit: number): RequestHandler[] {
  const defer =
    (parser: RequestHandler): RequestHandler =>
    (req: Request, res: Response, next: NextFunction) =>
      parser(req, res, (err?: unknown) => {
        const type = (err as { type?: string } | undefined)?.type;
        if (type === 'entity.parse.failed') {
          (req as WithBodyError).bodyError = new DomainError(
            'MALFORMED_JSON',
            `Request body is not valid JSON: ${(err as Error).message}`,
            400,
          );
        } else if (type === 'entity.too.large') {
          (req as WithBodyError).bodyError = new DomainError(
            'PAYLOAD_TOO_LARGE',
            `Request body is larger than ${limit} bytes`,
            413,
          );
        } else if (err) {
          return next(err);
        } else {
          return next();
        }
        req.body = undefined;
        next();
      });
  return [defer(express.json({ limit })), defer(express.urlencoded({ limit, extended: false }))];
}

/** Raises the parse error a deferred parser recorded, once the guard has let the request in. */
@Injectable()
export class BodyErrorInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const error = context.switchToHttp().getRequest<WithBodyError>().bodyError;
    if (error) throw error;
    return next.handle();
  }
}
