import { EntityManager } from 'typeorm';

/** The parts of node-postgres's connection a submittable query talks to. */
interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** The node-postgres client behind a TypeORM query runner. */
export interface PgClient {
  query(submittable: CopyFromStdin): unknown;
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rowCount: number | null; rows: Record<string, unknown>[] }>;
}

/**
 * `COPY … FROM STDIN` over node-postgres without an extra package: a submittable query (the
 * client's documented extension point) that answers the server's CopyInResponse with the
 * payload, then CopyDone. The payload is built whole by the caller (a few MB), so no stream and
 * no backpressure are needed. Used by leads imports and executor enrollment.
 */
class CopyFromStdin {
  callback?: unknown;
  private error?: Error;
  private rows = 0;
  readonly done: Promise<number>;
  private settle!: { resolve: (rows: number) => void; reject: (err: Error) => void };

  constructor(
    private readonly sql: string,
    private readonly payload: Buffer[],
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: PgConnection): void {
    connection.query(this.sql);
  }

  handleCopyInResponse(connection: PgConnection): void {
    // One CopyData message per chunk: the server reads them as one stream of bytes.
    for (const chunk of this.payload) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }

  handleCommandComplete(msg: { text?: string }): void {
    this.rows = Number(/\d+$/.exec(msg.text ?? '')?.[0] ?? 0);
  }

  handleError(err: Error): void {
    this.error ??= err;
    // A failed COPY is still followed by ReadyForQuery, but a broken connection is not.
    this.settle.reject(err);
  }

  handleReadyForQuery(): void {
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve(this.rows);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** The node-postgres client a transaction-bound EntityManager runs on. */
export async function pgClientOf(m: EntityManager): Promise<PgClient> {
  if (!m.queryRunner) throw new Error('needs a transaction-bound EntityManager');
  return (await m.queryRunner.connect()) as PgClient;
}

/** Runs `COPY <target> FROM STDIN` (text format) on the manager's connection; returns the row count. */
export async function copyFromStdin(
  m: EntityManager,
  sql: string,
  payload: Buffer[],
): Promise<number> {
  const client = await pgClientOf(m);
  const query = new CopyFromStdin(sql, payload);
  client.query(query);
  return query.done;
}

/**
 * One cell of COPY's text format: `\N` for null; backslash, tab, newline and carriage return
 * escaped (the only bytes the format gives meaning to). Most cells have none of them, so the
 * test is a single scan and the common case allocates nothing.
 */
export function copyTextCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : value;
}

/** One line of COPY's text format: the cells tab-separated (copyTextCell), ending in LF. */
export function copyTextLine(values: readonly (string | number | boolean | null | undefined)[]) {
  let line = copyTextCell(values[0]);
  for (let i = 1; i < values.length; i++) line += '\t' + copyTextCell(values[i]);
  return line + '\n';
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
