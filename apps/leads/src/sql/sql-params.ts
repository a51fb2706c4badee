/**
 * Collects query parameters: every value from the input becomes `$n`, never SQL text.
 * Builders share one instance so the numbering stays right across fragments.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(initial: unknown[] = []) {
    this.values.push(...initial);
  }

  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `COPY (query)` takes no bind parameters. This turns a parameterised statement into a query
 * of the server's `format()`, whose `%L` quotes each value as a literal: the values still
 * travel as bind parameters, Postgres does the quoting, and nothing from the input is spliced
 * into SQL text here. Its one row is the statement to run.
 */
export function serverQuoted(text: string, values: readonly unknown[]) {
  const template = text.replace(/%/g, '%%').replace(/\$(\d+)/g, '%$1$$L');
  const args = values.map((_, i) => `$${i + 2}::text`);
  return {
    text: `SELECT format(${['$1::text', ...args].join(', ')}) AS sql`,
    values: [template, ...values],
  };
}
