import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { PagedResult } from './envelope';

/** `{ success: true, data, pagination? }` around every JSON response. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body) => {
        if (body instanceof PagedResult)
          return { success: true, data: body.items, pagination: body.pagination };
        return { success: true, data: body ?? null };
      }),
    );
  }
}
