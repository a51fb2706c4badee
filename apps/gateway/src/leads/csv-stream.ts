import { ExportPage } from '@app/contracts';
import { Logger } from '@nestjs/common';
import { drained } from '@app/common';
import type { Response } from 'express';

/**
 * Streams a CSV the leads service renders page by page: the next page is requested while
 * the current one is written, writes wait for the socket to drain, and nothing but a page
 * or two is ever held. The first page is fetched before any header is sent, so a 404 or 400
 * still gets the normal JSON error.
 */
export async function streamCsv(
  res: Response,
  fileName: string,
  header: string,
  next: (after?: string) => Promise<ExportPage>,
): Promise<void> {
  let page = await next(undefined);
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (!res.write(header)) await drained(res);
  for (;;) {
    const pending = page.nextAfterId ? next(page.nextAfterId) : null;
    // Observed below; this keeps a failure during a drain wait from counting as unhandled.
    pending?.catch(() => undefined);
    if (!res.write(page.csv)) await drained(res);
    if (!pending || res.destroyed) break;
    try {
      page = await pending;
    } catch (err) {
      // Headers are gone: all that can be said now is that the file is incomplete.
      new Logger('CsvStream').error({
        msg: 'export aborted mid-stream',
        fileName,
        error: (err as Error).message,
      });
      res.destroy(err as Error);
      return;
    }
  }
  res.end();
}
