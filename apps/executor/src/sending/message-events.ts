import { buildEvent, DeliveryAttribution, EventEnvelope, MessageEventData } from '@app/contracts';
import { CampaignRun } from '../runs/run-snapshot';

export interface DeliveryRef extends DeliveryAttribution {
  leadId: string;
}

/** A `message.*` event about one delivery, keyed (in the outbox) by campaign id. */
export function messageEvent(
  run: CampaignRun,
  ref: DeliveryRef,
  type: string,
  extra: Partial<MessageEventData> = {},
): EventEnvelope {
  const { leadId, ...attribution } = ref;
  return buildEvent<MessageEventData>({
    type,
    tenantId: run.tenantId,
    workspaceId: run.workspaceId,
    campaignId: run.campaignId,
    leadId,
    data: { ...attribution, ...extra },
  }) as unknown as EventEnvelope;
}
