import { currentContext } from '@app/common';
import { buildEvent, Topics } from '@app/contracts';
import { appendToOutbox, OUTBOX_RELAY, Relay } from '@app/kafka';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SCHEMA } from '../database/entities';
import { CampaignEntity } from './campaign.entity';

/** Writes campaign events to the outbox in the caller's transaction. */
@Injectable()
export class CampaignEvents {
  constructor(@Optional() @Inject(OUTBOX_RELAY) private readonly relay: Relay | null) {}

  async emit(
    manager: EntityManager,
    campaign: CampaignEntity,
    type: string,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    const event = buildEvent({
      type,
      tenantId: campaign.tenantId,
      workspaceId: campaign.workspaceId,
      campaignId: campaign.id,
      requestId: currentContext()?.requestId,
      data: {
        campaign: {
          id: campaign.id,
          name: campaign.name,
          type: campaign.type,
          status: campaign.status,
        },
        ...data,
      },
    });
    await appendToOutbox(manager, SCHEMA, Topics.campaign, [event]);
  }

  /** After commit: publish now rather than at the relay's next poll. */
  flush(): void {
    this.relay?.poke();
  }
}
