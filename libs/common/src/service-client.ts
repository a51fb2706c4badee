import { Logger } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { DomainError, isSerializedError } from './errors';
import { currentContext, RequestContext } from './request-context';

/**
 * One back-end service reached over TCP, by the gateway and by services calling each other.
 * Every call carries the caller's request context (request id, tenant, workspace); service
 * errors come back as DomainErrors with their status, a dead service as a 503, a slow one as
 * a 504.
 */
export class ServiceClient {
  private readonly logger: Logger;

  /** `hosts` may list several replicas (`10.0.0.5,10.0.0.6` or `a:4001,b:4001`); calls rotate over them. */
  static connect(name: string, hosts: string, port: number, timeoutMs = 15000): ServiceClient {
    return new ServiceClient(
      name,
      hosts.split(',').map((entry) => {
        const [host, ownPort] = entry.trim().split(':');
        return ClientProxyFactory.create({
          transport: Transport.TCP,
          options: { host, port: ownPort ? Number(ownPort) : port },
        });
      }),
      timeoutMs,
    );
  }

  constructor(
    readonly name: string,
    /** One connection per replica address; calls rotate over them. */
    private readonly proxies: ClientProxy[],
    /** Each call's deadline; also the gateway's wait for the first bytes of an export. */
    readonly timeoutMs: number,
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
