/*
 * Postgres array literals, built directly as one string per column (node-postgres would
 * otherwise walk and escape every element itself). Only the numeric amounts still go this way:
 * every other ingestion parameter is a binary array (libs/database pg-binary.ts), and numeric's binary form
 * (base-10000 digit groups) is not worth writing for the few amounts a batch carries.
 */

type Maybe<T> = T | null | undefined;

/** Values that need no quoting in an array literal: numbers and decimal text. */
export function plainArray(values: Maybe<string | number>[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ',';
    out += v === null || v === undefined ? 'NULL' : v;
  }
  return out + '}';
}
