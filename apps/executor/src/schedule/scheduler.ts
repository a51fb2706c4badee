import { DomainError } from '@app/common';
import { CampaignEventTypes, CampaignsRpc, EventEnvelope, QUEUES } from '@app/contracts';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { CAMPAIGNS_CLIENT, ServiceClient } from '../core/service-client';
import { EventConsumer } from '../events/event-consumer';
import { Queues } from '../queues/queues';

interface ScheduleJob {
  campaignId: string;
  scheduledAt: string;
}

interface ScheduleRow {
  campaign_id: string;
  tenant_id: string;
  workspace_id: string;
  scheduled_at: Date;
  status: string;
}

const SWEEP_MS = 30000;

/**
 * Scheduled launches. `campaign.scheduled` is stored in Postgres and becomes a delayed BullMQ
 * job with a deterministic id (campaign + time), so rescheduling adds a new job and the old one
 * finds itself stale. A sweep at boot and every 30 s re-creates jobs lost with Redis. When the
 * job runs more than SCHEDULE_GRACE_MS late (executor down, Redis lost), the campaign is moved to
 * `schedule_missed` and nothing is sent until a user launches, reschedules or cancels it.
 */
@Injectable()
export class Scheduler implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly consumer: EventConsumer,
    private readonly ds: DataSource,
    private readonly queues: Queues,
    @Inject(CAMPAIGNS_CLIENT) private readonly campaigns: ServiceClient,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  onModuleInit(): void {
    this.consumer.on(CampaignEventTypes.scheduled, (e) => this.scheduled(e));
    for (const type of [
      CampaignEventTypes.started,
      CampaignEventTypes.cancelled,
      CampaignEventTypes.statusChanged,
    ])
      this.consumer.onAny(async (e) => {
        if (e.type === type && e.campaignId) await this.settle(e.campaignId, type);
      });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.queues.work<ScheduleJob>(QUEUES.schedule, (job) => this.fire(job), { concurrency: 5 });
    await this.sweep();
    this.timer = setInterval(
      () =>
        void this.sweep().catch((err: Error) =>
          this.logger.error({ msg: 'schedule sweep failed', error: err.message }),
        ),
      SWEEP_MS,
    );
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async scheduled(event: EventEnvelope): Promise<void> {
    const at = (event.data as { scheduledAt?: string }).scheduledAt;
    if (!at || !event.campaignId) return;
    await this.ds.query(
      `INSERT INTO executor.scheduled_launches (campaign_id, tenant_id, workspace_id, scheduled_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (campaign_id) DO UPDATE SET scheduled_at = EXCLUDED.scheduled_at, status = 'pending', updated_at = now()`,
      [event.campaignId, event.tenantId, event.workspaceId, at],
    );
    await this.enqueue(event.campaignId, new Date(at));
  }

  /** Launched now, cancelled or unscheduled: the pending schedule no longer applies. */
  private async settle(campaignId: string, type: string): Promise<void> {
    await this.ds.query(
      `UPDATE executor.scheduled_launches SET status = $2, updated_at = now()
        WHERE campaign_id = $1 AND status = 'pending'`,
      [campaignId, type === CampaignEventTypes.started ? 'started' : 'cancelled'],
    );
  }

  private async enqueue(campaignId: string, at: Date): Promise<void> {
    await this.queues
      .get(QUEUES.schedule)
      .add('launch', { campaignId, scheduledAt: at.toISOString() } satisfies ScheduleJob, {
        jobId: `schedule-${campaignId}-${at.getTime()}`,
        delay: Math.max(0, at.getTime() - Date.now()),
        attempts: 10,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: 1000,
        removeOnFail: 1000,
      });
  }

  /** Re-creates the delayed job of every pending schedule (a no-op for jobs that exist). */
  async sweep(): Promise<void> {
    const rows: ScheduleRow[] = await this.ds.query(
      "SELECT campaign_id, scheduled_at FROM executor.scheduled_launches WHERE status = 'pending'",
    );
    for (const r of rows) await this.enqueue(r.campaign_id, new Date(r.scheduled_at));
  }

  private async fire(job: Job<ScheduleJob>): Promise<void> {
    const [row]: ScheduleRow[] = await this.ds.query(
      'SELECT * FROM executor.scheduled_launches WHERE campaign_id = $1',
      [job.data.campaignId],
    );
    if (!row || row.status !== 'pending' || row.scheduled_at.toISOString() !== job.data.scheduledAt)
      return;
    const lateMs = Date.now() - row.scheduled_at.getTime();
    const missed = lateMs > this.env.SCHEDULE_GRACE_MS;
    const ctx = { requestId: randomUUID(), tenantId: row.tenant_id, workspaceId: row.workspace_id };
    const reason = missed
      ? `Scheduled for ${row.scheduled_at.toISOString()}, reached ${Math.round(lateMs / 1000)} s late (grace ${Math.round(this.env.SCHEDULE_GRACE_MS / 1000)} s): launch, reschedule or cancel it`
      : undefined;
    try {
      await this.campaigns.call(
        CampaignsRpc.transition,
        { id: row.campaign_id, action: missed ? 'miss' : 'start', reason },
        ctx,
      );
    } catch (err) {
      // Already launched, cancelled or deleted by a user: nothing left to do.
      if (!(err instanceof DomainError) || (err.status !== 409 && err.status !== 404)) throw err;
    }
    await this.ds.query(
      'UPDATE executor.scheduled_launches SET status = $2, updated_at = now() WHERE campaign_id = $1',
      [row.campaign_id, missed ? 'missed' : 'started'],
    );
    this.logger.log({
      msg: missed ? 'scheduled launch missed' : 'scheduled launch fired',
      campaignId: row.campaign_id,
      lateMs,
    });
  }
}
