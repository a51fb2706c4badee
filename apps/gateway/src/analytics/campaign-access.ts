import { RequestContext } from '@app/common';
import { CampaignsRpc } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { CAMPAIGNS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';

/**
 * Analytics rollups are keyed by the campaign ids events carry, so before reading or writing
 * them the gateway asks the campaigns service, the owner of campaigns, whether this one is the
 * caller's: a foreign or unknown id is a 404 there, with no lag behind the event stream.
 */
@Injectable()
export class CampaignAccess {
  constructor(@Inject(CAMPAIGNS) private readonly campaigns: ServiceClient) {}

  async ensure(ctx: RequestContext, id: string): Promise<void> {
    await this.campaigns.call(CampaignsRpc.get, { id }, ctx);
  }
}
