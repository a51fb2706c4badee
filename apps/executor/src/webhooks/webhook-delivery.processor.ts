import { QUEUES } from '@app/contracts';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import * as http from 'node:http';
import * as https from 'node:https';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv, outboundPolicy } from '../config';
import { Queues } from '../queues/queues';
import { signatureHeader } from './signature';
import { guardedLookup } from './ssrf-guard';
import { WebhookJob } from './webhook-fanout';
import { WebhooksService } from './webhooks.service';

const TIMEOUT_MS = 10000;

/**
 * Delivers one webhook: signed POST through the SSRF guard (checked on the address actually
 * connected to), 2xx = done; anything else is retried by BullMQ with exponential backoff, and
 * every attempt is written to the delivery log. Secrets are never logged.
 */
@Injectable()
export class WebhookDeliveryProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    private readonly queues: Queues,
    private readonly ds: DataSource,
    private readonly webhooks: WebhooksService,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.queues.work<WebhookJob>(QUEUES.webhooks, (job) => this.deliver(job), { concurrency: 20 });
  }

  private async deliver(job: Job<WebhookJob>): Promise<void> {
    const [row] = await this.ds.query(
      `SELECT d.id, d.body, d.event_type, d.status, w.url, w.active, w.secret_sealed,
              w.previous_secret_sealed, w.previous_expires_at > now() AS overlap
         FROM executor.webhook_deliveries d JOIN executor.webhooks w ON w.id = d.webhook_id
        WHERE d.id = $1`,
      [job.data.deliveryId],
    );
    if (!row || !row.active || row.status === 'succeeded') return;
    const secrets = [this.webhooks.box.open(row.secret_sealed)];
    if (row.overlap && row.previous_secret_sealed)
      secrets.push(this.webhooks.box.open(row.previous_secret_sealed));
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await this.post(row.url, row.body, {
        'content-type': 'application/json',
        'user-agent': 'campaign-platform-webhooks/1',
        'x-webhook-event': row.event_type,
        'x-webhook-delivery': row.id,
        'x-webhook-signature': signatureHeader(secrets, timestamp, row.body),
      });
      if (status < 200 || status >= 300) error = `receiver answered ${status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const final = !error || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.ds.query(
      `UPDATE executor.webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,
              status = $4, updated_at = now() WHERE id = $1`,
      [row.id, status, error, !error ? 'succeeded' : final ? 'failed' : 'pending'],
    );
    if (error) {
      this.logger.warn({ msg: 'webhook attempt failed', deliveryId: row.id, status, error, final });
      throw new Error(error);
    }
  }

  private post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          lookup: guardedLookup(outboundPolicy(this.env)) as never,
          timeout: TIMEOUT_MS,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
