/** The slice of node-postgres's client a submittable query is handed to. */
interface PgConnection {
  query(text: string): void;
}

/** A pg client (from pool.connect()) running a submittable. */
export interface CopyOutClient {
  query(submittable: CopyOut): unknown;
}

export interface CopyOutResult {
  /** Every row as received, each line ending in CRLF instead of COPY's LF. */
  data: Buffer;
  rows: number;
  /** Byte offset in `data` where the last row starts (-1 without rows). */
  lastRowAt: number;
}

const INITIAL_BYTES = 1 << 20;

/**
 * `COPY … TO STDOUT` over node-postgres without an extra package, the mirror of copy-in.ts:
 * a submittable query collecting the server's CopyData messages. In COPY OUT the server sends
 * exactly one CopyData per row, so rows are counted, the start of the last one is known
 * without parsing CSV, and its terminating LF becomes CRLF (RFC 4180, as the export always
 * wrote) while it is copied into one growing buffer. The caller bounds the rows with LIMIT, so
 * the buffer is bounded too and no stream or backpressure is needed.
 */
class CopyOut {
  callback?: unknown;
  private error?: Error;
  private buf = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;
  private rows = 0;
  private lastRowAt = -1;
  readonly done: Promise<CopyOutResult>;
  private settle!: { resolve: (r: CopyOutResult) => void; reject: (err: Error) => void };

  constructor(private readonly sql: string) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: PgConnection): void {
    connection.query(this.sql);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    // `chunk` is a view of the parser's buffer: copy it before returning.
    const row = msg.chunk;
    const body = row[row.length - 1] === 10 ? row.length - 1 : row.length;
    if (this.length + body + 2 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + body + 2));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.lastRowAt = this.length;
    this.length += row.copy(this.buf, this.length, 0, body);
    this.buf[this.length++] = 13;
    this.buf[this.length++] = 10;
    this.rows++;
  }

  handleError(err: Error): void {
    this.error ??= err;
    this.settle.reject(err);
  }

  handleReadyForQuery(): void {
    if (this.error) return this.settle.reject(this.error);
    this.settle.resolve({
      data: this.buf.subarray(0, this.length),
      rows: this.rows,
      lastRowAt: this.lastRowAt,
    });
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
}

/** Runs a `COPY (…) TO STDOUT` statement on a checked-out client; collects every row. */
export function copyOut(client: CopyOutClient, sql: string): Promise<CopyOutResult> {
  const query = new CopyOut(sql);
  client.query(query);
  return query.done;
}
