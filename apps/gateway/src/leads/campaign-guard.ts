import { RequestContext } from '@app/common';
import { CampaignsRpc } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { CAMPAIGNS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';

/** Per-campaign lead routes first ask the campaigns service: a foreign or missing campaign is a 404. */
@Injectable()
export class CampaignGuard {
  constructor(@Inject(CAMPAIGNS) private readonly campaigns: ServiceClient) {}

  async assertExists(ctx: RequestContext, campaignId: string): Promise<void> {
    await this.campaigns.call(CampaignsRpc.get, { id: campaignId }, ctx);
  }
}
