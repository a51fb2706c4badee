import { EventEnvelope, MessageEventTypes, QUEUES, Topics } from '@app/contracts';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { EventConsumer } from '../events/event-consumer';
import { Queues } from '../queues/queues';

const CACHE_MS = 2000;

/** Subscriptions that take message events: `*` or any message.* type. */
const MESSAGE_SUBSCRIPTIONS = ['*', ...Object.values(MessageEventTypes)];

interface Hook {
  id: string;
  events: string[];
}

export interface WebhookJob {
  deliveryId: string;
}

/**
 * Turns events into webhook deliveries: one row per (webhook, event), unique, so a redelivered
 * event queues nothing twice; the job id is the row id. Subscriptions are cached per workspace
 * for two seconds, so events of workspaces without webhooks cost no query.
 */
@Injectable()
export class WebhookFanout implements OnModuleInit {
  private readonly cache = new Map<
    string,
    { at: number; hooks: { id: string; events: string[] }[] }
  >();

  constructor(
    private readonly consumer: EventConsumer,
    private readonly ds: DataSource,
    private readonly queues: Queues,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  onModuleInit(): void {
    this.consumer.onAny((event) => this.fanOut(event));
    // Message events are two per message sent; the fan-out is their only reader here.
    this.consumer.gate(Topics.message, () => this.wantsMessageEvents());
  }

  /** Whether any active webhook of any workspace subscribes to message events. */
  async wantsMessageEvents(): Promise<boolean> {
    const [row] = await this.ds.query(
      'SELECT EXISTS (SELECT 1 FROM executor.webhooks WHERE active AND events && $1::text[]) AS wanted',
      [MESSAGE_SUBSCRIPTIONS],
    );
    return row.wanted === true;
  }

  async fanOut(event: EventEnvelope): Promise<void> {
    const hooks = (await this.hooksOf(event.workspaceId)).filter(
      (h) => h.events.includes('*') || h.events.includes(event.type),
    );
    if (!hooks.length) return;
    const body = JSON.stringify(event);
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO executor.webhook_deliveries (webhook_id, event_id, event_type, body)
       SELECT unnest($1::uuid[]), $2, $3, $4
       ON CONFLICT (webhook_id, event_id) DO NOTHING RETURNING id`,
      [hooks.map((h) => h.id), event.eventId, event.type, body],
    );
    await this.queues.get(QUEUES.webhooks).addBulk(
      rows.map((r) => ({
        name: 'deliver',
        data: { deliveryId: r.id } satisfies WebhookJob,
        opts: {
          jobId: `wh-${r.id}`,
          attempts: this.env.WEBHOOK_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.env.WEBHOOK_BACKOFF_MS },
          removeOnComplete: 1000,
          removeOnFail: 1000,
        },
      })),
    );
  }

  private async hooksOf(workspaceId: string): Promise<Hook[]> {
    const hit = this.cache.get(workspaceId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.hooks;
    const hooks: Hook[] = await this.ds.query(
      'SELECT id, events FROM executor.webhooks WHERE workspace_id = $1 AND active',
      [workspaceId],
    );
    this.cache.set(workspaceId, { at: Date.now(), hooks });
    return hooks;
  }
}
