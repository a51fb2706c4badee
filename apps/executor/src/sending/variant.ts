import { createHash } from 'node:crypto';

export interface Weighted {
  id: string;
  weight: number;
}

/** A stable number in [0, 1) for an enrollment: the same contact always lands in the same bucket. */
export function bucketOf(enrollmentId: string): number {
  return createHash('sha256').update(enrollmentId).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Chooses a variant by weight from the enrollment's bucket, so a retried or resumed send picks
 * the same variant, and a contact keeps its letter (A, B...) across steps with equal weights.
 */
export function chooseVariant<T extends Weighted>(variants: T[], enrollmentId: string): T | null {
  const total = variants.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  if (!variants.length || total <= 0) return null;
  let point = bucketOf(enrollmentId) * total;
  for (const v of variants) {
    point -= Math.max(0, v.weight);
    if (point < 0) return v;
  }
  return variants[variants.length - 1];
}
