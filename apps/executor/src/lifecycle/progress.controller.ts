import { isUuid, RpcController, RpcRequest, scopeOf } from '@app/common';
import { CampaignProgressView, ExecutorRpc } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PreparedStatement } from '@app/database';
import { DataSource } from 'typeorm';
import { AbTestService } from '../ab-test/ab-test.service';
import { RunRepository } from '../runs/run.repository';
import { SENDING_STEP_TYPES } from '../runs/run-snapshot';

const FINISHED = ['sent', 'failed', 'uncertain', 'skipped'];
const ERROR_STATUSES = ['failed', 'uncertain', 'skipped'];
/** The current rate counts the sends of the last five whole 10-second buckets and this one. */
const RATE_BUCKETS = 6;

type Counter = {
  kind: string;
  status: string;
  code: string;
  num: number;
  n: number;
  sample: string | null;
};

/**
 * The campaign's counters (progress_counters, kept by triggers in the same transactions as the
 * ledger rows they count): one statement, so one snapshot, and a sum over a few rows whatever the
 * campaign's size, so progress is exact at every reading.
 */
const READ_COUNTERS = new PreparedStatement<Counter>(
  'executor_progress_counters',
  `SELECT kind, status, code, num, sum(n)::int AS n, min(sample) AS sample
     FROM executor.progress_counters
    WHERE campaign_id = $1 AND (kind <> 'sent_10s' OR num > $2)
    GROUP BY kind, status, code, num`,
);

/**
 * Contacts enrolled per campaign of the caller's workspace (the enrollment counters, whatever
 * the enrollments' status now): campaigns the executor has not run are left out.
 */
const ENROLLED = new PreparedStatement<{ campaign_id: string; n: number }>(
  'executor_enrolled_counts',
  `SELECT r.campaign_id, coalesce(sum(c.n), 0)::int AS n
     FROM executor.campaign_runs r
     LEFT JOIN executor.progress_counters c ON c.campaign_id = r.campaign_id AND c.kind = 'enrollment'
    WHERE r.tenant_id = $1 AND r.workspace_id = $2 AND r.campaign_id = ANY($3::uuid[])
    GROUP BY r.campaign_id`,
);

/** Real-time progress of a campaign's sending, computed from the delivery ledger. */
@RpcController()
export class ProgressController {
  constructor(
    private readonly ds: DataSource,
    private readonly runs: RunRepository,
    private readonly abTests: AbTestService,
  ) {}

  /** Contacts enrolled per launched campaign of a page of campaign views (`targetAudience.totalCount`). */
  @MessagePattern(ExecutorRpc.enrolledCounts)
  async enrolledCounts(
    @Payload() req: RpcRequest<{ campaignIds: string[] }>,
  ): Promise<Record<string, number>> {
    const scope = scopeOf(req.ctx);
    const ids = (req.data.campaignIds ?? []).filter(isUuid);
    if (!ids.length) return {};
    const rows = await ENROLLED.rows(this.ds, [scope.tenantId, scope.workspaceId, ids]);
    return Object.fromEntries(rows.map((r) => [r.campaign_id, r.n]));
  }

  @MessagePattern(ExecutorRpc.progress)
  async progress(
    @Payload() req: RpcRequest<{ campaignId: string; status: string }>,
  ): Promise<CampaignProgressView> {
    const scope = scopeOf(req.ctx);
    const { campaignId, status } = req.data;
    const run = await this.runs.find(campaignId);
    const ours = run?.tenantId === scope.tenantId && run.workspaceId === scope.workspaceId;
    const now = Date.now();
    const bucket = Math.floor(now / 10000);
    // Counters are per campaign: another tenant's campaign id reads as nothing sent.
    const counters = ours
      ? (await READ_COUNTERS.rows(this.ds, [campaignId, bucket - RATE_BUCKETS])).filter(
          (c) => c.n !== 0,
        )
      : [];
    const by: Record<string, number> = {};
    const errors = new Map<string, { count: number; message: string }>();
    const enrollmentCounts: Record<string, number> = {};
    const steps = ours ? run.snapshot.steps : [];
    const sendingFrom = (i: number) =>
      steps.slice(i).filter((s) => SENDING_STEP_TYPES.includes(s.type)).length;
    let remaining = 0;
    let recentSent = 0;
    for (const c of counters) {
      if (c.kind === 'delivery') {
        by[c.status] = (by[c.status] ?? 0) + c.n;
        if (ERROR_STATUSES.includes(c.status)) {
          const code = c.code || 'UNKNOWN';
          const e = errors.get(code) ?? { count: 0, message: c.sample ?? '' };
          e.count += c.n;
          errors.set(code, e);
        }
      } else if (c.kind === 'enrollment') {
        enrollmentCounts[c.status] = (enrollmentCounts[c.status] ?? 0) + c.n;
        if (c.status === 'active') remaining += c.n * sendingFrom(c.num);
      } else recentSent += c.n;
    }
    const processed = FINISHED.reduce((sum, s) => sum + (by[s] ?? 0), 0);
    const total = processed + remaining;
    // Over the window the buckets cover: five whole ones and the current one so far.
    const windowSeconds = (RATE_BUCKETS - 1) * 10 + (now % 10000) / 1000;
    const currentRate = Math.round((recentSent / windowSeconds) * 100) / 100;
    const abTest = ours ? await this.abTests.progress(run) : undefined;
    return {
      campaignId,
      executionId: run?.snapshot.executionId ?? null,
      status,
      progress: {
        percentage: total ? Math.round((processed / total) * 10000) / 100 : 0,
        processed,
        total,
        successful: by.sent ?? 0,
        failed: by.failed ?? 0,
        uncertain: by.uncertain ?? 0,
        skipped: by.skipped ?? 0,
      },
      enrollments: enrollmentCounts,
      currentRate,
      estimatedCompletion:
        remaining && currentRate > 0
          ? new Date(Date.now() + (remaining / currentRate) * 1000).toISOString()
          : null,
      errors: [...errors]
        .filter(([, e]) => e.count > 0)
        .sort((a, b) => b[1].count - a[1].count)
        .map(([code, e]) => ({ code, count: e.count, message: e.message })),
      testMode: run?.testMode ?? false,
      ...(abTest ? { abTest } : {}),
    };
  }
}
