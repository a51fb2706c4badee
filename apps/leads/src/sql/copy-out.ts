import { DataSource } from 'typeorm';
import { serverQuoted } from './sql-params';

/** The slice of node-postgres's client a submittable query is handed to. */
interface PgConnection {
  query(text: string): void;
}

/** A pg client (from pool.connect()) running a submittable. */
export interface CopyOutClient {
  query(submittable: CopyOut): unknown;
}

export interface CopyOutResult {
  rows: number;
  /** A copy of the last row as sent (CRLF included); null without rows. */
  lastRow: Buffer | null;
}

/** Bytes per chunk handed to the sink: large writes, few of them (~1,000 per 250 MB). */
export const COPY_CHUNK_BYTES = 256 * 1024;

/**
 * Chunks to fill, reused once their bytes are written. A fresh 256 KB buffer per chunk is
 * memory outside V8's heap, and a stream of them makes V8 run a full GC every few dozen
 * (one every ~0.5 s of export, most of the leads service's GC time); recycled, the same
 * handful serves the whole export.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly chunkBytes = COPY_CHUNK_BYTES,
    private readonly keep = 32,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.chunkBytes);
  }

  /** A chunk (or a view of one) taken from this pool, whose bytes nobody needs any more. */
  give(chunk: Buffer): void {
    // Buffers of this size own their memory (never Node's shared pool): the whole of it.
    if (chunk.buffer.byteLength !== this.chunkBytes || this.free.length >= this.keep) return;
    this.free.push(Buffer.from(chunk.buffer, 0, this.chunkBytes));
  }
}

/**
 * `COPY … TO STDOUT` over node-postgres without an extra package, the mirror of copy-in.ts:
 * a submittable query receiving the server's CopyData messages. In COPY OUT the server sends
 * exactly one CopyData per row, so rows are counted and the last one is known without parsing
 * CSV. Each row is copied (the message is a view of the parser's buffer) into the current
 * chunk with its LF turned into CRLF (RFC 4180, as the export always wrote); a full chunk goes
 * to the sink at once and is never touched again, the rest when the statement completes.
 * Nothing is held beyond one chunk: the sink decides where the bytes go (a socket).
 */
class CopyOut {
  callback?: unknown;
  private error?: Error;
  private buf: Buffer;
  private length = 0;
  private rows = 0;
  /** Where the last row is: its chunk and its start (-1 without rows); it ends at `length`. */
  private lastBuf: Buffer | null = null;
  private lastAt = -1;
  readonly done: Promise<CopyOutResult>;
  private settle!: { resolve: (r: CopyOutResult) => void; reject: (err: Error) => void };

  constructor(
    private readonly sql: string,
    private readonly sink: (chunk: Buffer) => void,
    private readonly pool: ChunkPool,
    /** CSV for people: each row's LF becomes CRLF. Off: rows exactly as sent (COPY text). */
    private readonly crlf = true,
  ) {
    this.buf = pool.take();
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: PgConnection): void {
    connection.query(this.sql);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    const row = msg.chunk;
    const body = this.crlf && row[row.length - 1] === 10 ? row.length - 1 : row.length;
    const size = this.crlf ? body + 2 : body;
    if (this.length + size > this.buf.length) {
      this.flush();
      // A row larger than a chunk gets a chunk of its own size.
      if (size > this.buf.length) {
        this.pool.give(this.buf);
        this.buf = Buffer.allocUnsafe(size);
      }
    }
    const at = this.length;
    this.length += row.copy(this.buf, at, 0, body);
    if (this.crlf) {
      this.buf[this.length++] = 13;
      this.buf[this.length++] = 10;
    }
    this.lastBuf = this.buf;
    this.lastAt = at;
    this.rows++;
  }

  /** Hands the filled part of the chunk to the sink and starts a new one. */
  private flush(): void {
    if (this.length === 0) return;
    this.sink(this.buf.subarray(0, this.length));
    this.buf = this.pool.take();
    this.length = 0;
  }

  handleError(err: Error): void {
    this.error ??= err;
    this.settle.reject(err);
  }

  handleReadyForQuery(): void {
    if (this.error) return this.settle.reject(this.error);
    // A copy: the chunk it is in belongs to the sink from the flush on. The last row is the
    // end of the current chunk (a flush happens only before a row is added).
    const lastRow = this.lastBuf
      ? Buffer.from(this.lastBuf.subarray(this.lastAt, this.length))
      : null;
    this.flush();
    // The chunk taken for rows that never came goes back unused.
    this.pool.give(this.buf);
    this.settle.resolve({ rows: this.rows, lastRow });
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
}

/**
 * Runs a `COPY (…) TO STDOUT` statement on a checked-out client; hands the rows to `sink` in
 * chunks of `pool` (about its chunk size) as they arrive and resolves when the statement is
 * done. The sink owns each chunk (it may give it back to the pool once written) and runs
 * inside node-postgres's message handling: it must not throw.
 */
export function copyOut(
  client: CopyOutClient,
  sql: string,
  sink: (chunk: Buffer) => void,
  pool = new ChunkPool(),
  crlf = true,
): Promise<CopyOutResult> {
  const query = new CopyOut(sql, sink, pool, crlf);
  client.query(query);
  return query.done;
}

/**
 * The keyset cursor after a page whose first column is the lead id (36 characters, never
 * quoted or escaped): the last row's id when the page is full, else null (the last page).
 */
export function nextAfterId(out: CopyOutResult, limit: number): string | null {
  return out.rows === limit && out.lastRow ? out.lastRow.toString('latin1', 0, 36) : null;
}

/** The slice of pg's Pool used here (the project has no @types/pg). */
interface PgPool {
  connect(): Promise<
    CopyOutClient & {
      query(text: string, values: unknown[]): Promise<{ rows: { sql: string }[] }>;
      release(err?: Error): void;
    }
  >;
}

/**
 * Run before a page's COPY, in the same implicit transaction (one simple query): with cheap
 * cell expressions the planner takes a parallel index scan for a page of a few thousand rows,
 * which starts two worker processes per page for no gain on a keyset page (and whose CPU the
 * service's own backend does not show, so it would only look cheaper).
 */
const NO_PARALLEL = 'SET LOCAL max_parallel_workers_per_gather = 0; ';

/**
 * A parameterised `COPY (SELECT …) TO STDOUT …` on a connection of the pool: its values are
 * quoted by the server (serverQuoted, one round trip), then the rows go to `sink` as copyOut
 * hands them over. `crlf` as for copyOut.
 */
export async function copyQueryOut(
  ds: DataSource,
  statement: string,
  values: readonly unknown[],
  sink: (chunk: Buffer) => void,
  options: { pool?: ChunkPool; crlf?: boolean } = {},
): Promise<CopyOutResult> {
  const quoted = serverQuoted(statement, values);
  const pgPool = (ds.driver as unknown as { master: PgPool }).master;
  const client = await pgPool.connect();
  let sql: string;
  try {
    sql = (await client.query(quoted.text, quoted.values)).rows[0].sql;
  } catch (err) {
    client.release();
    throw err;
  }
  let out: CopyOutResult;
  try {
    out = await copyOut(client, NO_PARALLEL + sql, sink, options.pool, options.crlf);
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  client.release();
  return out;
}
