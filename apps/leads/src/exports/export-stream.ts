import { drained, toSerializedError } from '@app/common';
import type { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ChunkPool } from '../sql/copy-out';

/**
 * Bytes that may wait on the socket before the next page is started: the client (the
 * gateway, and behind it the HTTP client) sets the pace, and at most this plus one page is
 * ever queued per export. Postgres is never paused mid-COPY, so a slow client holds no
 * database connection.
 */
export const EXPORT_QUEUE_BYTES = 4 * 1024 * 1024;

/**
 * One page after `after`, its bytes handed to `sink` in chunks of `pool`; the key to continue
 * after, or null.
 */
export type NextPage = (
  after: string | undefined,
  sink: (chunk: Buffer) => void,
  pool: ChunkPool,
) => Promise<string | null>;

/** Whether `res` drained (or closed) within `ms`; false if it is still full after that. */
async function drainedWithin(res: ServerResponse, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([drained(res).then(() => true as const), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** An error before any byte of the file: its status and the SerializedError as JSON. */
export function sendError(res: ServerResponse, err: unknown, logger?: Logger): void {
  const body = toSerializedError(err, logger);
  res.writeHead(body.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Writes the header and every page to `res` as a plain byte stream. The first page is held
 * until it is complete, so an error there (a bad filter value) is still a JSON error with its
 * status; after that, bytes go out as they come and a failure cuts the response (the gateway
 * then cuts its own: the file is visibly incomplete). A client that leaves stops the export
 * after the page in progress; one that stops reading for `stallMs` has its response cut.
 */
export async function writeExport(
  res: ServerResponse,
  header: Buffer,
  nextPage: NextPage,
  logger: Logger,
  stallMs: number,
): Promise<void> {
  let closed = false;
  res.on('close', () => (closed = true));
  const pool = new ChunkPool();
  // Once on the socket, a chunk is filled again for a later page.
  const recycle = (chunk: Buffer) => (err?: Error | null) => err || pool.give(chunk);
  let held: Buffer[] | null = [header];
  const sink = (chunk: Buffer) => {
    if (held) held.push(chunk);
    else if (!closed) res.write(chunk, recycle(chunk));
  };
  let after: string | null;
  try {
    after = await nextPage(undefined, sink, pool);
  } catch (err) {
    return sendError(res, err, logger);
  }
  res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
  for (const chunk of held) res.write(chunk, recycle(chunk));
  held = null;
  while (after && !closed) {
    if (res.writableLength > EXPORT_QUEUE_BYTES && !(await drainedWithin(res, stallMs))) {
      // The client has not taken the queued bytes in stallMs: one that stopped reading without
      // closing would otherwise hold this export (its queued pages, the sockets) for ever.
      logger.warn({ msg: 'export stalled: the client read nothing, response cut', stallMs });
      res.destroy();
      return;
    }
    if (closed) break;
    try {
      after = await nextPage(after, sink, pool);
    } catch (err) {
      logger.error({ msg: 'export aborted mid-stream', error: (err as Error).message });
      res.destroy(err as Error);
      return;
    }
  }
  if (!closed) res.end();
}
