import { HealthReport } from '@app/common';
import { CampaignsRpc, HealthRpc } from '@app/contracts';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { KeyRevocations } from '../auth/key-revocations';
import { ANALYTICS, CAMPAIGNS, EXECUTOR, LEADS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';

/** The whole system at a glance: the gateway's Redis and each service's own checks. */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    @Inject(CAMPAIGNS) private readonly campaigns: ServiceClient,
    @Inject(LEADS) private readonly leads: ServiceClient,
    @Inject(ANALYTICS) private readonly analytics: ServiceClient,
    @Inject(EXECUTOR) private readonly executor: ServiceClient,
    private readonly revocations: KeyRevocations,
  ) {}

  @Public()
  @Get('health')
  @ApiOperation({ summary: 'Health of the gateway and every service (503 when one is down)' })
  async health(@Res() res: Response): Promise<void> {
    const probe = async (client: ServiceClient, pattern: string) => {
      try {
        return await client.call<HealthReport>(pattern, {}, undefined, 3000);
      } catch (err) {
        return { status: 'error', error: (err as Error).message };
      }
    };
    const [campaigns, leads, analytics, executor, redis] = await Promise.all([
      probe(this.campaigns, CampaignsRpc.health),
      probe(this.leads, HealthRpc.leads),
      probe(this.analytics, HealthRpc.analytics),
      probe(this.executor, HealthRpc.executor),
      this.revocations.ping().then(
        () => ({ status: 'ok' }),
        (err: Error) => ({ status: 'error', error: err.message }),
      ),
    ]);
    const services = { gateway: { status: 'ok', redis }, campaigns, leads, analytics, executor };
    const ok =
      redis.status === 'ok' &&
      [campaigns, leads, analytics, executor].every((s) => s.status === 'ok');
    res
      .status(ok ? 200 : 503)
      .json({ success: ok, data: { status: ok ? 'ok' : 'degraded', services } });
  }
}
