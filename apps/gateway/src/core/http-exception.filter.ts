import { currentContext, DomainError, ErrorDetail } from '@app/common';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * The one place errors become HTTP: `{ success: false, message, error: { code, details? } }`.
 * Domain errors keep their code; anything unexpected is logged and answered as a plain 500.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, code, message, details } = this.describe(exception);
    if (status >= 500) {
      this.logger.error(exception instanceof Error ? exception : String(exception));
    }
    if (res.headersSent) return;
    const requestId = currentContext()?.requestId;
    res.status(status).json({
      success: false,
      message,
      error: { code, ...(details?.length ? { details } : {}), ...(requestId ? { requestId } : {}) },
    });
  }

  private describe(exception: unknown): {
    status: number;
    code: string;
    message: string;
    details?: ErrorDetail[];
  } {
    if (exception instanceof DomainError) {
      return {
        status: exception.status,
        code: exception.code,
        message: exception.message,
        details: exception.details,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const raw =
        typeof body === 'string' ? body : (body as { message?: string | string[] }).message;
      const message = Array.isArray(raw) ? raw.join('; ') : (raw ?? exception.message);
      return {
        status,
        code: CODES[status] ?? `HTTP_${status}`,
        message: this.friendly(status, message),
      };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL',
      message: 'Something went wrong',
    };
  }

  private friendly(status: number, message: string): string {
    if (status === 404 && message.startsWith('Cannot '))
      return `Route not found: ${message.slice(7)}`;
    return message;
  }
}
