import { randomUUID } from 'node:crypto';

/** Kafka topics, one per aggregate (DESIGN.md). The key is the campaign id (lead id for leads). */
export const Topics = {
  campaign: 'campaign.events',
  lead: 'lead.events',
  message: 'message.events',
  engagement: 'engagement.events',
} as const;
export type TopicName = (typeof Topics)[keyof typeof Topics];

/** The envelope every event travels in; consumers deduplicate by `eventId`. */
export interface EventEnvelope<T = Record<string, unknown>> {
  eventId: string;
  type: string;
  version: number;
  occurredAt: string;
  tenantId: string;
  workspaceId: string;
  campaignId?: string;
  leadId?: string;
  requestId?: string;
  data: T;
}

export interface NewEvent<T> {
  type: string;
  version?: number;
  tenantId: string;
  workspaceId: string;
  campaignId?: string;
  leadId?: string;
  requestId?: string;
  occurredAt?: Date;
  data: T;
}

export function buildEvent<T>(input: NewEvent<T>): EventEnvelope<T> {
  return {
    eventId: randomUUID(),
    type: input.type,
    version: input.version ?? 1,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    tenantId: input.tenantId,
    workspaceId: input.workspaceId,
    campaignId: input.campaignId,
    leadId: input.leadId,
    requestId: input.requestId,
    data: input.data,
  };
}
