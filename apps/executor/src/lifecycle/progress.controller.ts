import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { CampaignProgressView, ExecutorRpc } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { AbTestService } from '../ab-test/ab-test.service';
import { RunRepository } from '../runs/run.repository';
import { SENDING_STEP_TYPES } from '../runs/run-snapshot';

const FINISHED = ['sent', 'failed', 'uncertain', 'skipped'];

/**
 * The ledger counts are re-read at most once per this many times their last reading took (and
 * at least every MAX_AGE_MS): they scan the campaign's rows, a fraction of a second at 100k+
 * messages, and polling them every second from a dashboard or two would otherwise cost the
 * database more than the sending it watches. Small campaigns are read in milliseconds, so their
 * figures stay fresh to a few tens of milliseconds.
 */
const REREAD_FACTOR = 5;
const MAX_AGE_MS = 5000;

type Count = { kind: string; status: string; step_index: number; n: number };
type ErrorCount = { code: string; n: number; message: string };
interface LedgerCounts {
  counts: Count[];
  errors: ErrorCount[];
  recentSent: number;
}

/** Real-time progress of a campaign's sending, computed from the delivery ledger. */
@RpcController()
export class ProgressController {
  private readonly ledger = new Map<
    string,
    { at: number; fresh: number; counts: Promise<LedgerCounts> }
  >();

  constructor(
    private readonly ds: DataSource,
    private readonly runs: RunRepository,
    private readonly abTests: AbTestService,
  ) {}

  @MessagePattern(ExecutorRpc.progress)
  async progress(
    @Payload() req: RpcRequest<{ campaignId: string; status: string }>,
  ): Promise<CampaignProgressView> {
    const scope = scopeOf(req.ctx);
    const { campaignId, status } = req.data;
    const [{ counts, errors, recentSent }, run] = await Promise.all([
      this.ledgerCounts(campaignId, scope.tenantId, scope.workspaceId),
      this.runs.find(campaignId),
    ]);
    const deliveries = (counts as Count[]).filter((c) => c.kind === 'delivery');
    const enrollments = (counts as Count[]).filter((c) => c.kind === 'enrollment');
    const by = Object.fromEntries(deliveries.map((d) => [d.status, d.n]));
    const processed = FINISHED.reduce((sum, s) => sum + (by[s] ?? 0), 0);
    const steps = run?.tenantId === scope.tenantId ? run.snapshot.steps : [];
    const sendingFrom = (i: number) =>
      steps.slice(i).filter((s) => SENDING_STEP_TYPES.includes(s.type)).length;
    const enrollmentCounts: Record<string, number> = {};
    let remaining = 0;
    for (const e of enrollments) {
      enrollmentCounts[e.status] = (enrollmentCounts[e.status] ?? 0) + e.n;
      if (e.status === 'active') remaining += e.n * sendingFrom(e.step_index);
    }
    const total = processed + remaining;
    const currentRate = Math.round((recentSent / 60) * 100) / 100;
    const ours = run?.tenantId === scope.tenantId && run.workspaceId === scope.workspaceId;
    const abTest = ours ? await this.abTests.progress(run) : undefined;
    return {
      campaignId,
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
      errors: errors.map((e) => ({
        code: e.code ?? 'UNKNOWN',
        count: e.n,
        message: e.message ?? '',
      })),
      testMode: run?.testMode ?? false,
      ...(abTest ? { abTest } : {}),
    };
  }

  /** The ledger's counts, shared by concurrent callers and re-read as REREAD_FACTOR says. */
  private ledgerCounts(
    campaignId: string,
    tenantId: string,
    workspaceId: string,
  ): Promise<LedgerCounts> {
    const key = `${tenantId}:${workspaceId}:${campaignId}`;
    const now = Date.now();
    const hit = this.ledger.get(key);
    if (hit && now < hit.fresh) return hit.counts;
    for (const [k, v] of this.ledger) if (now - v.at > 60000) this.ledger.delete(k);
    const counts = this.readLedger([campaignId, tenantId, workspaceId]);
    const entry = { at: now, fresh: Number.MAX_SAFE_INTEGER, counts };
    this.ledger.set(key, entry);
    void counts.then(
      () => {
        const took = Date.now() - now;
        entry.fresh = Date.now() + Math.min(MAX_AGE_MS, took * REREAD_FACTOR);
      },
      () => {
        if (this.ledger.get(key) === entry) this.ledger.delete(key);
      },
    );
    return counts;
  }

  private async readLedger(params: string[]): Promise<LedgerCounts> {
    const where = 'campaign_id = $1 AND tenant_id = $2 AND workspace_id = $3';
    // Deliveries and enrollments are counted in one statement, so in one snapshot: a send
    // settled between two separate queries would be counted as done and as still to come
    // (or as neither), and the total would wobble.
    const [counts, errors, [recent]] = await Promise.all([
      this.ds.query(
        `SELECT 'delivery' AS kind, status, NULL::int AS step_index, count(*)::int AS n
           FROM executor.deliveries WHERE ${where} GROUP BY status
         UNION ALL
         SELECT 'enrollment', status, step_index, count(*)::int
           FROM executor.enrollments WHERE ${where} GROUP BY status, step_index`,
        params,
      ),
      this.ds.query(
        `SELECT code, count(*)::int AS n, min(reason) AS message FROM executor.deliveries
          WHERE ${where} AND status IN ('failed', 'uncertain', 'skipped') GROUP BY code ORDER BY n DESC`,
        params,
      ),
      this.ds.query(
        `SELECT count(*)::int AS n FROM executor.deliveries
          WHERE ${where} AND status = 'sent' AND finished_at > now() - interval '60 seconds'`,
        params,
      ),
    ]);
    return { counts, errors, recentSent: recent.n };
  }
}
