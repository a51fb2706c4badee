import { Periodic } from '@app/common';
import { CampaignsRpc, MessageEventTypes, Topics } from '@app/contracts';
import { appendLinesToOutbox } from '@app/kafka';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { CAMPAIGNS_CLIENT, ServiceClient } from '../core/service-client';
import { SCHEMA } from '../database/schema';
import { OLDEST_OPEN_TRANSACTION, SWEEP_STATE } from '../database/sweep-state';
import { CampaignRun } from '../runs/run-snapshot';
import { RunRepository } from '../runs/run.repository';
import { messageEvent } from '../sending/message-events';
import { nextPosition } from '../sending/sequence';
import { FOLD_PROGRESS_SHARDS } from './progress-shards';

const SWEEP_MS = 1000;
const PRUNE_MS = 30000;

/**
 * Two periodic jobs, each run by one replica at a time (advisory lock):
 * - claim recovery: a delivery still `claimed` after CLAIM_TIMEOUT_MS belonged to a process that
 *   died between claim and outcome. Whether it was sent is unknown, so it becomes `uncertain`
 *   (never resent) and the contact moves on.
 * - completion: an active, fully enrolled, non-triggered run with no active enrollment and no
 *   claim in flight is completed through the campaigns service.
 * Every 30 s it also deletes the progress rate buckets nobody reads any more and folds the
 * progress counters of backends that have gone into one row per counter.
 */
@Injectable()
export class Sweepers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Sweepers');
  private prunedAt = 0;
  private readonly loop = new Periodic(this.logger, 'sweep failed', SWEEP_MS, () => this.sweep());

  constructor(
    private readonly ds: DataSource,
    private readonly runs: RunRepository,
    @Inject(CAMPAIGNS_CLIENT) private readonly campaigns: ServiceClient,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  private async sweep(): Promise<void> {
    const locked = await this.ds.transaction(async (m) => {
      const [{ ok }] = await m.query(
        "SELECT pg_try_advisory_xact_lock(hashtext('executor:sweep')) AS ok",
      );
      if (ok) await this.recoverClaims(m);
      return ok;
    });
    if (locked) await this.completeFinished();
    if (locked && Date.now() - this.prunedAt > PRUNE_MS) {
      this.prunedAt = Date.now();
      // Rate buckets older than two minutes are no longer read (progress looks at the last one).
      await this.ds.query(
        `DELETE FROM executor.progress_counters
          WHERE kind = 'sent_10s' AND num < floor(extract(epoch FROM now()) / 10)::int - 12`,
      );
      for (const sql of FOLD_PROGRESS_SHARDS) await this.ds.query(sql);
    }
  }

  /**
   * Claims still `claimed` CLAIM_TIMEOUT_MS after they were made. No index holds `status` (so an
   * outcome is a HOT update, migration 1732692200000): the sweep walks `claimed_at` forward
   * from `sweep_state.claims`, before which every claim is settled, up to a bound no claim can
   * still appear below: the timeout, or the start of the oldest transaction of this service still
   * open (a claim's `claimed_at` is its transaction's start, so one not yet committed is never
   * behind the bound). The horizon then moves to the oldest claim of the window still in flight,
   * or to the bound. Each sweep reads about a second's worth of claims.
   */
  private async recoverClaims(m: import('typeorm').EntityManager): Promise<void> {
    const [{ horizon, bound }] = await m.query(
      `SELECT (SELECT at FROM executor.sweep_state WHERE name = $2) AS horizon,
              least(now() - $1 * interval '1 millisecond', ${OLDEST_OPEN_TRANSACTION}) AS bound`,
      [this.env.CLAIM_TIMEOUT_MS, SWEEP_STATE.claims],
    );
    if (horizon >= bound) return;
    const [orphans] = await m.query(
      `UPDATE executor.deliveries SET status = 'uncertain', code = 'PROCESS_LOST', finished_at = now(),
              reason = 'the executor stopped between claiming and recording this send'
        WHERE id IN (SELECT id FROM executor.deliveries
                      WHERE claimed_at >= $1 AND claimed_at < $2 AND status = 'claimed'
                      ORDER BY claimed_at LIMIT 1000 FOR UPDATE)
       RETURNING id, campaign_id, enrollment_id, step_id, step_index, variant_id, channel, test_mode`,
      [horizon, bound],
    );
    await m.query(
      `UPDATE executor.sweep_state
          SET at = coalesce((SELECT min(claimed_at) FROM executor.deliveries
                              WHERE claimed_at >= $1 AND claimed_at < $2 AND status = 'claimed'), $2)
        WHERE name = $3`,
      [horizon, bound, SWEEP_STATE.claims],
    );
    for (const d of orphans) {
      const run = await this.runs.find(d.campaign_id);
      if (!run) continue;
      const [e] = await m.query(
        'SELECT lead_id, segment_id FROM executor.enrollments WHERE id = $1',
        [d.enrollment_id],
      );
      const [c] = await m.query(
        `SELECT source FROM executor.contacts WHERE workspace_id = $1 AND lead_id = $2`,
        [run.workspaceId, e?.lead_id],
      );
      const next = nextPosition(
        run.snapshot.steps,
        d.step_index,
        new Date(),
        this.env.EXECUTOR_MINUTE_MS,
      );
      await m.query(
        `UPDATE executor.enrollments SET step_index = $3, next_run_at = greatest($4::timestamptz, now()),
                status = CASE WHEN $4::timestamptz IS NULL THEN 'completed' ELSE 'active' END, updated_at = now()
          WHERE id = $1 AND step_index = $2 AND status = 'active'`,
        [d.enrollment_id, d.step_index, next.stepIndex, next.runAt],
      );
      await appendLinesToOutbox(m, SCHEMA, Topics.message, run.campaignId, [
        messageEvent(
          run,
          {
            deliveryId: d.id,
            enrollmentId: d.enrollment_id,
            stepId: d.step_id,
            stepPosition: run.snapshot.steps[d.step_index]?.position ?? d.step_index + 1,
            variantId: d.variant_id,
            channel: d.channel,
            segmentId: e?.segment_id ?? null,
            source: c?.source ?? null,
            testMode: d.test_mode,
            leadId: e?.lead_id,
          },
          MessageEventTypes.uncertain,
          { code: 'PROCESS_LOST' },
        ),
      ]);
    }
    if (orphans.length)
      this.logger.warn({ msg: 'orphaned claims marked uncertain', count: orphans.length });
  }

  private async completeFinished(): Promise<void> {
    const done: CampaignRun[] = [];
    const rows = await this.ds.query(
      `SELECT r.campaign_id FROM executor.campaign_runs r
        WHERE r.status = 'active' AND r.enroll_done AND r.campaign_type <> 'triggered'
          AND r.started_at < now() - $1 * interval '1 millisecond'
          AND NOT EXISTS (SELECT 1 FROM executor.enrollments e WHERE e.campaign_id = r.campaign_id AND e.status = 'active')
          AND coalesce((SELECT sum(p.n) FROM executor.progress_counters p
                         WHERE p.campaign_id = r.campaign_id AND p.kind = 'delivery' AND p.status = 'claimed'), 0) = 0`,
      [this.env.COMPLETION_MIN_AGE_MS],
    );
    for (const { campaign_id } of rows) {
      const run = await this.runs.find(campaign_id);
      if (run) done.push(run);
    }
    for (const run of done) {
      const ctx = { requestId: randomUUID(), tenantId: run.tenantId, workspaceId: run.workspaceId };
      try {
        await this.campaigns.call(
          CampaignsRpc.transition,
          { id: run.campaignId, action: 'complete' },
          ctx,
        );
        await this.runs.setStatus(run.campaignId, 'completed');
        this.logger.log({ msg: 'campaign completed', campaignId: run.campaignId });
      } catch (err) {
        // Paused or cancelled meanwhile: the run follows that event instead.
        this.logger.warn({
          msg: 'completion refused',
          campaignId: run.campaignId,
          error: (err as Error).message,
        });
        if ((err as { status?: number }).status === 409) {
          const current = await this.campaigns.call<{ status: string }>(
            CampaignsRpc.get,
            { id: run.campaignId },
            ctx,
          );
          await this.runs.setStatus(run.campaignId, current.status);
        }
      }
    }
  }
}
