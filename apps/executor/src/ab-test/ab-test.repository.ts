import {
  AbVariantStats,
  CampaignEventTypes,
  EventEnvelope,
  Topics,
  buildEvent,
} from '@app/contracts';
import { appendToOutbox } from '@app/kafka';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SCHEMA } from '../database/schema';
import { CampaignRun } from '../runs/run-snapshot';
import { AbFlow, TEST_SHARE_SALT, VariantCounts, pickWinner, statsOf } from './ab-rules';

export interface AbTestRow {
  campaign_id: string;
  step_id: string;
  started_at: Date;
  decide_at: Date;
  winner_variant_id: string | null;
  decided_at: Date | null;
  decided_by: 'auto' | 'manual' | null;
  reason: string | null;
  basis: AbVariantStats[] | null;
}

export type DecideResult =
  | { outcome: 'decided'; row: AbTestRow }
  | { outcome: 'already'; row: AbTestRow }
  | { outcome: 'not_due' | 'not_active' };

/** executor.ab_tests: the clock and the (write-once) decision of each A/B winner flow. */
@Injectable()
export class AbTestRepository {
  constructor(private readonly ds: DataSource) {}

  /** Starts the clock on the first arrival at the A/B step; later calls read the row. */
  async start(run: CampaignRun, flow: AbFlow, decideAfterMs: number): Promise<AbTestRow> {
    const rows: AbTestRow[] = await this.ds.query(
      `WITH ins AS (
         INSERT INTO executor.ab_tests (campaign_id, tenant_id, workspace_id, step_id, decide_at)
         VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')
         ON CONFLICT (campaign_id) DO NOTHING RETURNING *)
       SELECT * FROM ins UNION ALL SELECT * FROM executor.ab_tests WHERE campaign_id = $1`,
      [run.campaignId, run.tenantId, run.workspaceId, flow.step.id, decideAfterMs],
    );
    // A concurrent first insert committed after this statement's snapshot: read it now.
    return rows[0] ?? (await this.find(run.campaignId))!;
  }

  async find(campaignId: string): Promise<AbTestRow | null> {
    const rows = await this.ds.query('SELECT * FROM executor.ab_tests WHERE campaign_id = $1', [
      campaignId,
    ]);
    return rows[0] ?? null;
  }

  /**
   * Holds a contact of the rest until the decision, unless a winner was written meanwhile
   * (a manual choice releasing the held contacts must not be undone by a late hold).
   */
  async hold(enrollmentId: string, stepIndex: number, until: Date): Promise<void> {
    await this.ds.query(
      `UPDATE executor.enrollments e SET next_run_at = greatest($3::timestamptz, now()), updated_at = now()
        WHERE e.id = $1 AND e.step_index = $2 AND e.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM executor.ab_tests a
                           WHERE a.campaign_id = e.campaign_id AND a.winner_variant_id IS NOT NULL)`,
      [enrollmentId, stepIndex, until],
    );
  }

  /** Sent, opened and clicked deliveries of the A/B step, per variant (real sends only). */
  async counts(m: EntityManager, campaignId: string, stepId: string): Promise<VariantCounts[]> {
    const rows = await m.query(
      `SELECT variant_id, count(*)::int AS sent, count(opened_at)::int AS opens,
              count(clicked_at)::int AS clicks
         FROM executor.deliveries
        WHERE campaign_id = $1 AND step_id = $2 AND status = 'sent' AND NOT test_mode
        GROUP BY variant_id`,
      [campaignId, stepId],
    );
    return rows.map((r: { variant_id: string; sent: number; opens: number; clicks: number }) => ({
      variantId: r.variant_id,
      sent: r.sent,
      opens: r.opens,
      clicks: r.clicks,
    }));
  }

  async liveCounts(campaignId: string, stepId: string): Promise<VariantCounts[]> {
    return this.counts(this.ds.manager, campaignId, stepId);
  }

  /** Active enrollments at the A/B step outside the test share (the same draw as inTestShare). */
  async heldCount(campaignId: string, stepIndex: number, testPercentage: number): Promise<number> {
    const [{ n }] = await this.ds.query(
      `SELECT count(*)::int AS n FROM executor.enrollments
        WHERE campaign_id = $1 AND status = 'active' AND step_index = $2
          AND ('x' || left(encode(sha256(convert_to($3 || id::text, 'UTF8')), 'hex'), 8))::bit(32)::bigint
              >= $4::float8 / 100 * 4294967296`,
      [campaignId, stepIndex, TEST_SHARE_SALT, testPercentage],
    );
    return n;
  }

  /**
   * Takes the decision once, under the row's lock: `auto` only when due and the run active,
   * `manual` with the given variant at any time before a decision. The winner, the release of
   * the held contacts and `campaign.ab_winner_selected` commit together.
   */
  async decide(
    run: CampaignRun,
    flow: AbFlow,
    how: { by: 'auto' } | { by: 'manual'; variantId: string; decideAfterMs: number },
  ): Promise<DecideResult> {
    return this.ds.transaction(async (m) => {
      if (how.by === 'manual') {
        await m.query(
          `INSERT INTO executor.ab_tests (campaign_id, tenant_id, workspace_id, step_id, decide_at)
           VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')
           ON CONFLICT (campaign_id) DO NOTHING`,
          [run.campaignId, run.tenantId, run.workspaceId, flow.step.id, how.decideAfterMs],
        );
      }
      const [row]: AbTestRow[] = await m.query(
        'SELECT * FROM executor.ab_tests WHERE campaign_id = $1 FOR UPDATE',
        [run.campaignId],
      );
      if (!row) return { outcome: 'not_due' };
      if (row.winner_variant_id) return { outcome: 'already', row };
      const [current] = await m.query(
        'SELECT status FROM executor.campaign_runs WHERE campaign_id = $1',
        [run.campaignId],
      );
      const status: string = current?.status ?? 'unknown';
      if (how.by === 'auto') {
        if (new Date(row.decide_at).getTime() > Date.now()) return { outcome: 'not_due' };
        if (status !== 'active') return { outcome: 'not_active' };
      } else if (status !== 'active' && status !== 'paused') return { outcome: 'not_active' };
      const basis = statsOf(flow.step, await this.counts(m, run.campaignId, flow.step.id));
      const choice =
        how.by === 'manual'
          ? { variantId: how.variantId, reason: 'manual' }
          : pickWinner(flow.step, basis, flow.settings.winnerMetric);
      // An UPDATE … RETURNING answers [rows, affected] through TypeORM's postgres driver.
      const [[decided]]: [AbTestRow[], number] = await m.query(
        `UPDATE executor.ab_tests
            SET winner_variant_id = $2, decided_at = now(), decided_by = $3, reason = $4, basis = $5
          WHERE campaign_id = $1 AND winner_variant_id IS NULL RETURNING *`,
        [run.campaignId, choice.variantId, how.by, choice.reason, JSON.stringify(basis)],
      );
      // The held contacts wait until decide_at: a decision taken earlier lets them go now.
      await m.query(
        `UPDATE executor.enrollments SET next_run_at = now(), updated_at = now()
          WHERE campaign_id = $1 AND status = 'active' AND step_index = $2 AND next_run_at > now()`,
        [run.campaignId, flow.stepIndex],
      );
      await appendToOutbox(m, SCHEMA, Topics.campaign, [winnerEvent(run, flow, decided, status)]);
      return { outcome: 'decided', row: decided };
    });
  }
}

function winnerEvent(
  run: CampaignRun,
  flow: AbFlow,
  row: AbTestRow,
  status: string,
): EventEnvelope {
  const winner = flow.step.variants.find((v) => v.id === row.winner_variant_id);
  return buildEvent({
    type: CampaignEventTypes.abWinnerSelected,
    tenantId: run.tenantId,
    workspaceId: run.workspaceId,
    campaignId: run.campaignId,
    data: {
      campaign: { id: run.campaignId, name: run.snapshot.name, type: run.campaignType, status },
      stepId: flow.step.id,
      winner: { variantId: row.winner_variant_id, name: winner?.name ?? null },
      metric: flow.settings.winnerMetric,
      decidedBy: row.decided_by,
      reason: row.reason,
      decidedAt: new Date(row.decided_at!).toISOString(),
      testStartedAt: new Date(row.started_at).toISOString(),
      variants: row.basis,
    },
  }) as unknown as EventEnvelope;
}
