import { hash } from 'node:crypto';

/** Lower-cased and trimmed: the form uniqueness, suppression and sendability are decided on. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * What survives erasure: sha256 of workspace id and normalised email. Salting by workspace
 * keeps the same person's hashes unlinkable across workspaces. Every writer (capture,
 * import, suppression, erasure) computes it here, so there is one definition.
 */
export function emailHash(workspaceId: string, email: string): string {
  return normalizedEmailHash(workspaceId, normalizeEmail(email));
}

/** emailHash of an address already normalised (the import's rows: no second trim and lower-case). */
export function normalizedEmailHash(workspaceId: string, normalized: string): string {
  // One-shot hash (no Hash object per call): imports compute it for every row.
  return hash('sha256', workspaceId + ':' + normalized, 'hex');
}

// Pragmatic check for imports (the API validates with class-validator's IsEmail).
const EMAIL = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;]{2,}$/;

export function isPlausibleEmail(email: string): boolean {
  return email.length <= 320 && EMAIL.test(email);
}
