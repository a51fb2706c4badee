import { createHmac } from 'node:crypto';

/**
 * `X-Webhook-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`: HMAC-SHA256 of `${t}.${rawBody}`
 * with the webhook's secret. During a rotation's overlap both secrets sign, so a receiver
 * holding either one can verify.
 */
export function signatureHeader(secrets: string[], timestamp: number, rawBody: string): string {
  const parts = secrets.map(
    (secret) =>
      `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`,
  );
  return [`t=${timestamp}`, ...parts].join(',');
}
