import { DomainError, ValidationError } from '@app/common';
import { assertDeliverable, OutboundPolicy } from './ssrf-guard';

/**
 * The save-time SSRF check of an outbound URL (webhook subscriptions, HTTP channel steps):
 * resolves the host and answers a 400 naming `field` when it does not resolve or reaches a
 * private, loopback, link-local or metadata address outside the allow-list.
 */
export async function checkOutboundUrl(
  url: string,
  policy: OutboundPolicy,
  field: string,
  code = 'OUTBOUND_URL_BLOCKED',
): Promise<void> {
  try {
    await assertDeliverable(url, policy);
  } catch (err) {
    const dnsCode = (err as { code?: string }).code;
    if (dnsCode === 'ENOTFOUND' || dnsCode === 'EAI_AGAIN')
      throw new ValidationError(`Host does not resolve: ${new URL(url).hostname}`, [
        { field, message: 'host does not resolve' },
      ]);
    throw new DomainError(code, (err as Error).message, 400, [
      { field, message: (err as Error).message },
    ]);
  }
}
