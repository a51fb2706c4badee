import { currentContext, DomainError, isSerializedError, RequestContext } from '@app/common';
import { Logger } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';

/**
 * One back-end service reached over TCP. Every call carries the caller's request context
 * (request id, tenant, workspace); service errors come back as DomainErrors with their status.
 */
export class ServiceClient {
  private readonly logger: Logger;

  constructor(
    readonly name: string,
    /** One connection per replica address; calls rotate over them. */
    private readonly proxies: ClientProxy[],
    private readonly timeoutMs: number,
  ) {
    this.logger = new Logger(`rpc:${name}`);
  }

  async call<T>(
    pattern: string,
    data: unknown = {},
    ctx?: RequestContext,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    const context = ctx ?? currentContext() ?? { requestId: randomUUID() };
    try {
      return await firstValueFrom(
        this.nextProxy().send<T>(pattern, { ctx: context, data }).pipe(timeout(timeoutMs)),
      );
    } catch (err) {
      throw this.translate(err, pattern);
    }
  }

  private translate(err: unknown, pattern: string): Error {
    if (isSerializedError(err))
      return new DomainError(err.code, err.message, err.status, err.details);
    if (err instanceof TimeoutError) {
      return new DomainError(
        'UPSTREAM_TIMEOUT',
        `The ${this.name} service did not answer in time`,
        504,
      );
    }
    const code = (err as { code?: string })?.code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') {
      return new DomainError('SERVICE_UNAVAILABLE', `The ${this.name} service is unavailable`, 503);
    }
    this.logger.error({
      msg: 'unexpected RPC failure',
      pattern,
      error: (err as Error)?.message ?? String(err),
    });
    return new DomainError('INTERNAL', 'Something went wrong', 500);
  }

  private next = 0;

  private nextProxy(): ClientProxy {
    this.next = (this.next + 1) % this.proxies.length;
    return this.proxies[this.next];
  }

  close(): void {
    for (const proxy of this.proxies) proxy.close();
  }
}
