import { DataSource, EntityManager } from 'typeorm';
import { arrayLiteral } from './array-literal';
import { pgClientOf } from './copy-from-stdin';

interface NamedQueryable {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * A statement a hot path runs many times a second, sent as a named prepared statement: each
 * pooled connection parses and analyses it once and Postgres may keep its plan, where an
 * unnamed statement (what `DataSource.query` sends) is parsed, analysed and planned on every
 * call. For the executor's set-based send statements that was about a quarter of their
 * Postgres CPU. The text must not vary between calls (values go in parameters); the name is
 * unique per text.
 */
export class PreparedStatement<R> {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  /** Runs on a pooled connection (DataSource) or on a transaction's own (EntityManager). */
  async run(
    on: DataSource | EntityManager,
    values: unknown[],
  ): Promise<{ rows: R[]; count: number }> {
    const target: NamedQueryable =
      on instanceof DataSource
        ? (on.driver as unknown as { master: NamedQueryable }).master
        : ((await pgClientOf(on)) as unknown as NamedQueryable);
    const result = await target.query({
      name: this.name,
      text: this.text,
      // Arrays as literals written here: node-postgres' encoder is slow (array-literal.ts).
      values: values.map((v) => (Array.isArray(v) ? (arrayLiteral(v) ?? v) : v)),
    });
    return { rows: result.rows as R[], count: result.rowCount ?? 0 };
  }

  async rows(on: DataSource | EntityManager, values: unknown[]): Promise<R[]> {
    return (await this.run(on, values)).rows;
  }
}
