/*
 * Postgres array literals for the ingestion statements' unnest parameters, built directly as
 * one string per column: node-postgres would otherwise walk and escape every element of every
 * array itself, which showed up as a tenth of the consumer's CPU in profiles at 5,000 events
 * per statement.
 */

type Maybe<T> = T | null | undefined;

/** Values that need no quoting in an array literal: uuids, ISO timestamps, dates, numbers. */
export function plainArray(values: Maybe<string | number>[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ',';
    out += v === null || v === undefined ? 'NULL' : v;
  }
  return out + '}';
}

export function boolArray(values: boolean[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) out += (i ? ',' : '') + (values[i] ? 't' : 'f');
  return out + '}';
}

const NEEDS_ESCAPE = /[\\"]/;

/** Any text: every element double-quoted, with backslashes and quotes escaped. */
export function textArray(values: Maybe<string>[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else out += `"${NEEDS_ESCAPE.test(v) ? v.replace(/[\\"]/g, '\\$&') : v}"`;
  }
  return out + '}';
}
