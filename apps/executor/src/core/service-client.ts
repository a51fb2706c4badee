import { DomainError, isSerializedError, RequestContext } from '@app/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';

/** A back-end service reached over TCP RPC; service errors come back as DomainErrors. */
export class ServiceClient {
  private readonly proxy: ClientProxy;

  constructor(
    readonly name: string,
    host: string,
    port: number,
    private readonly timeoutMs = 15000,
  ) {
    this.proxy = ClientProxyFactory.create({ transport: Transport.TCP, options: { host, port } });
  }

  async call<T>(pattern: string, data: unknown, ctx: RequestContext, ms = this.timeoutMs) {
    try {
      return await firstValueFrom(this.proxy.send<T>(pattern, { ctx, data }).pipe(timeout(ms)));
    } catch (err) {
      if (isSerializedError(err))
        throw new DomainError(err.code, err.message, err.status, err.details);
      throw err;
    }
  }

  close(): void {
    this.proxy.close();
  }
}

export const CAMPAIGNS_CLIENT = Symbol('CAMPAIGNS_CLIENT');
export const LEADS_CLIENT = Symbol('LEADS_CLIENT');
