/**
 * `message.events` and `engagement.events` (key: campaign id), emitted by the executor (and
 * by the gateway's tracking routes through the executor), consumed by analytics. Every
 * payload carries the attribution analytics breaks results down by.
 */
export const MessageEventTypes = {
  queued: 'message.queued',
  sent: 'message.sent',
  delivered: 'message.delivered',
  failed: 'message.failed',
  bounced: 'message.bounced',
  uncertain: 'message.uncertain',
} as const;

export const EngagementEventTypes = {
  opened: 'engagement.opened',
  clicked: 'engagement.clicked',
  replied: 'engagement.replied',
  unsubscribed: 'engagement.unsubscribed',
  complained: 'engagement.complained',
  converted: 'engagement.converted',
} as const;

/** Who and what a message or engagement event is about. */
export interface DeliveryAttribution {
  deliveryId: string;
  enrollmentId: string;
  stepId: string;
  stepPosition: number;
  variantId: string | null;
  channel: 'email' | 'webhook';
  segmentId: string | null;
  source: string | null;
  testMode: boolean;
}

export interface MessageEventData extends DeliveryAttribution {
  /** failed/bounced: a stable code (SMTP_5XX, SMTP_4XX, TIMEOUT, SUPPRESSED...) and the provider's words. */
  code?: string;
  reason?: string;
  permanent?: boolean;
  providerMessageId?: string;
}

export interface EngagementEventData extends Partial<DeliveryAttribution> {
  /** clicked: the link's id and destination. */
  linkId?: string;
  url?: string;
  /** converted: the attributed value. */
  value?: number;
  currency?: string;
  conversionId?: string;
  userAgent?: string;
}
