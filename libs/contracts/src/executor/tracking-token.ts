import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed tracking tokens for the public open/click/unsubscribe routes: the gateway and the
 * executor share TRACKING_SECRET, so a token proves the executor minted it for that delivery
 * (and, for clicks, that link) without a database read. Format: `<payload>.<hmac>`, both
 * base64url; the payload is `kind:deliveryId[:linkId]`.
 */
export type TrackingKind = 'o' | 'c' | 'u';

export interface TrackingClaims {
  kind: TrackingKind;
  deliveryId: string;
  linkId?: string;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest().subarray(0, 16);
}

export function signTrackingToken(secret: string, claims: TrackingClaims): string {
  const payload = [claims.kind, claims.deliveryId, claims.linkId].filter(Boolean).join(':');
  return `${b64(payload)}.${b64(mac(secret, payload))}`;
}

/** Null for anything not minted with this secret, truncated, or of another kind. */
export function verifyTrackingToken(
  secret: string,
  token: string,
  kind: TrackingKind,
): TrackingClaims | null {
  const [encoded, signature, extra] = token.split('.');
  if (!encoded || !signature || extra !== undefined) return null;
  const payload = Buffer.from(encoded, 'base64url').toString('utf8');
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [k, deliveryId, linkId] = payload.split(':');
  if (k !== kind || !deliveryId) return null;
  return { kind, deliveryId, ...(linkId ? { linkId } : {}) };
}
