/**
 * `POST /api/v1/inbound/events` (workspace API key): what a mail provider's bounce, complaint
 * or reply notification maps to. `deliveryId` is the X-Delivery-Id header of the sent email.
 */
export interface InboundEvent {
  type: 'bounce' | 'complaint' | 'reply';
  deliveryId: string;
  /** bounce: the provider's code (e.g. SMTP_550) and words; permanent defaults to true. */
  code?: string;
  reason?: string;
  permanent?: boolean;
}
