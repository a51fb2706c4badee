/**
 * `POST /api/v1/inbound/events` (workspace API key): what a mail provider's delivery receipt,
 * bounce, complaint or reply notification maps to. `deliveryId` is the X-Delivery-Id header of
 * the sent email.
 */
export const INBOUND_EVENT_TYPES = ['delivered', 'bounce', 'complaint', 'reply'] as const;

export interface InboundEvent {
  type: (typeof INBOUND_EVENT_TYPES)[number];
  deliveryId: string;
  /** bounce: the provider's code (e.g. SMTP_550) and words; permanent defaults to true. */
  code?: string;
  reason?: string;
  permanent?: boolean;
}
