const NEEDS_ESCAPE = /["\\]/;

/**
 * A Postgres array literal for a flat array of strings, numbers, booleans, dates and nulls, in
 * node-postgres' own format (every element quoted), or null for anything else, which
 * node-postgres then encodes itself. Its encoder runs two regular-expression replacements per
 * element; the executor's send statements pass ~20 arrays of 500 elements each, and that was
 * the largest allocator of the executor's main thread (16 % of its bytes, docs/executor.md).
 * Here an element is escaped only when it holds a quote or a backslash. Dates go as ISO 8601
 * in UTC: the same instant node-postgres sends in local time.
 */
export function arrayLiteral(values: readonly unknown[]): string | null {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i) out += ',';
    if (value === null || value === undefined) out += 'NULL';
    else if (typeof value === 'string') out += quote(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out += `"${value}"`;
    else if (value instanceof Date && !Number.isNaN(value.getTime()))
      out += `"${value.toISOString()}"`;
    else return null;
  }
  return out + '}';
}

function quote(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
