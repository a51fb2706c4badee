import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { GATEWAY_ENV, GatewayEnv } from './gateway-env';
import { ServiceClient } from './service-client';

export const CAMPAIGNS = Symbol('CAMPAIGNS');
export const LEADS = Symbol('LEADS');
export const ANALYTICS = Symbol('ANALYTICS');
export const EXECUTOR = Symbol('EXECUTOR');

const client = (name: string, hosts: string, port: number, timeoutMs: number) =>
  ServiceClient.connect(name, hosts, port, timeoutMs);

class ClientsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(CAMPAIGNS) private readonly a: ServiceClient,
    @Inject(LEADS) private readonly b: ServiceClient,
    @Inject(ANALYTICS) private readonly c: ServiceClient,
    @Inject(EXECUTOR) private readonly d: ServiceClient,
  ) {}
  onApplicationShutdown(): void {
    for (const c of [this.a, this.b, this.c, this.d]) c.close();
  }
}

/** The four back-end services, injectable by token. */
@Global()
@Module({
  providers: [
    {
      provide: CAMPAIGNS,
      inject: [GATEWAY_ENV],
      useFactory: (e: GatewayEnv) =>
        client('campaigns', e.CAMPAIGNS_HOST, e.CAMPAIGNS_PORT, e.RPC_TIMEOUT_MS),
    },
    {
      provide: LEADS,
      inject: [GATEWAY_ENV],
      useFactory: (e: GatewayEnv) => client('leads', e.LEADS_HOST, e.LEADS_PORT, e.RPC_TIMEOUT_MS),
    },
    {
      provide: ANALYTICS,
      inject: [GATEWAY_ENV],
      useFactory: (e: GatewayEnv) =>
        client('analytics', e.ANALYTICS_HOST, e.ANALYTICS_PORT, e.RPC_TIMEOUT_MS),
    },
    {
      provide: EXECUTOR,
      inject: [GATEWAY_ENV],
      useFactory: (e: GatewayEnv) =>
        client('executor', e.EXECUTOR_HOST, e.EXECUTOR_PORT, e.RPC_TIMEOUT_MS),
    },
    ClientsCloser,
  ],
  exports: [CAMPAIGNS, LEADS, ANALYTICS, EXECUTOR],
})
export class ServiceClientsModule {}
