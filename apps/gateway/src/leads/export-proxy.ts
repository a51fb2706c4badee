import { DomainError, RequestContext, SerializedError, ServiceClient } from '@app/common';
import { ExportTicket, LeadFiltersQuery, LeadsApiRpc } from '@app/contracts';
import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import * as http from 'node:http';
import { pipeline } from 'node:stream/promises';

const logger = new Logger('ExportProxy');

/** The leads service's answer up to its headers, within `timeoutMs`; a dead one is a 503. */
function openUpstream(url: string, timeoutMs: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (upstream) => {
      clearTimeout(timer);
      resolve(upstream);
    });
    const timer = setTimeout(
      () =>
        req.destroy(
          new DomainError('UPSTREAM_TIMEOUT', 'The leads service did not answer in time', 504),
        ),
      timeoutMs,
    );
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(
        err instanceof DomainError
          ? err
          : new DomainError('SERVICE_UNAVAILABLE', 'The leads service is unavailable', 503),
      );
    });
  });
}

/** A refusal of the leads service (JSON SerializedError) as the DomainError it stands for. */
async function upstreamError(upstream: http.IncomingMessage): Promise<DomainError> {
  const parts: Buffer[] = [];
  for await (const part of upstream) parts.push(part as Buffer);
  try {
    const e = JSON.parse(Buffer.concat(parts).toString('utf8')) as SerializedError;
    return new DomainError(e.code, e.message, e.status, e.details);
  } catch {
    return new DomainError('INTERNAL', 'Something went wrong', 500);
  }
}

/**
 * Streams a CSV export: the leads service checks the caller's scope and filters over RPC and
 * hands out a one-time URL; its bytes (header and rows, rendered by Postgres) are piped to
 * the client as they come, with backpressure both ways (a slow client slows the leads
 * service, which slows its queries) and nothing held beyond the sockets' buffers. Errors up
 * to the first page (bad filter value, missing campaign) are the normal JSON errors; a
 * failure after the headers cuts the response, so the client sees an incomplete file.
 */
export async function proxyExport(
  res: Response,
  fileName: string,
  leads: ServiceClient,
  ctx: RequestContext,
  filters: LeadFiltersQuery,
): Promise<void> {
  const { url } = await leads.call<ExportTicket>(LeadsApiRpc.exportOpen, { filters }, ctx);
  const upstream = await openUpstream(url, leads.timeoutMs);
  if (upstream.statusCode !== 200) throw await upstreamError(upstream);
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  try {
    await pipeline(upstream, res);
  } catch (err) {
    // pipeline has destroyed both sides. A client that left is no news; a leads service
    // that failed mid-stream (the file is cut) is.
    if ((err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' && !res.writableFinished)
      return;
    logger.error({ msg: 'export aborted mid-stream', fileName, error: (err as Error).message });
  }
}
