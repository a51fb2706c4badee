import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `cpk_<prefix>_<secret>`. The prefix is stored in clear to find the row
 * (and shown in listings); only a SHA-256 of the whole key is stored. The secret has 240 bits
 * of entropy, so a fast hash is enough: there is nothing to brute-force.
 */
const KEY_PATTERN = /^cpk_([a-z0-9]{12})_([A-Za-z0-9_-]{40})$/;

export interface GeneratedKey {
  key: string;
  prefix: string;
  hash: string;
}

export function generateApiKey(): GeneratedKey {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomBytes(30).toString('base64url');
  const key = `cpk_${prefix}_${secret}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Returns the lookup prefix of a well-formed key, or null for anything else. */
export function parseApiKey(key: string): { prefix: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1] } : null;
}

export function hashesMatch(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `Authorization: Bearer <key>` → key, or null when the header is missing or not Bearer. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
