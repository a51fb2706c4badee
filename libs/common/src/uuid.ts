import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is a UUID in its canonical text form (any case). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then the version, variant and 74 random
 * bits of a v4 from node's entropy pool. Rows keyed by it go to the right end of their primary
 * key in the order they are made, instead of to a random leaf page.
 */
export function uuidv7(now = Date.now()): string {
  const ms = now.toString(16).padStart(12, '0');
  // randomUUID: xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; keep its random bits after the version.
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
