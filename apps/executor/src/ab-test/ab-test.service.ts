import { ConflictError, NotFoundError, Scope, ValidationError } from '@app/common';
import { AbTestProgressView, StepView } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { CampaignRun } from '../runs/run-snapshot';
import { RunRepository } from '../runs/run.repository';
import { chooseVariant } from '../sending/variant';
import { AbFlow, abFlowOf, decideAfterMs, inTestShare, statsOf } from './ab-rules';
import { AbTestRepository, AbTestRow } from './ab-test.repository';

type Variant = StepView['variants'][number];

/** How long a held contact waits before asking again when a due decision could not be taken. */
const RETRY_HOLD_MS = 1000;

/**
 * The A/B winner flow (docs/executor.md): which variant a contact gets at the A/B step, the
 * hold of the rest until the decision, the decision itself (automatic at decideAt or manual)
 * and its progress view. Runs without a winner flow never reach past `applies`.
 */
@Injectable()
export class AbTestService {
  private readonly logger = new Logger('AbTest');
  private readonly flows = new Map<string, AbFlow | null>();
  private readonly started = new Set<string>();
  /** Winners never change once written, so they are cached for good. */
  private readonly winners = new Map<string, Variant>();

  constructor(
    private readonly repo: AbTestRepository,
    private readonly runs: RunRepository,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  flowOf(run: CampaignRun): AbFlow | null {
    let flow = this.flows.get(run.campaignId);
    if (flow === undefined) {
      flow = abFlowOf(run);
      this.flows.set(run.campaignId, flow);
    }
    return flow;
  }

  /** Whether this step of this run is an A/B step with a winner flow (no I/O). */
  applies(run: CampaignRun, stepIndex: number): boolean {
    return this.flowOf(run)?.stepIndex === stepIndex;
  }

  /**
   * The variant for an enrollment at the A/B step: the test share gets its weighted draw (and
   * starts the clock on first arrival); the rest gets the winner, or `holdUntil` while there is
   * none. A decision that is due is taken right here, so the held contacts need no sweep.
   */
  async resolve(
    run: CampaignRun,
    enrollmentId: string,
  ): Promise<{ variant: Variant | null } | { holdUntil: Date }> {
    const flow = this.flowOf(run)!;
    const delayMs = decideAfterMs(flow.settings.decideAfter, this.env.EXECUTOR_MINUTE_MS);
    if (inTestShare(enrollmentId, flow.settings.testPercentage)) {
      if (!this.started.has(run.campaignId)) {
        await this.repo.start(run, flow, delayMs);
        this.started.add(run.campaignId);
      }
      return { variant: chooseVariant(flow.step.variants ?? [], enrollmentId) };
    }
    const cached = this.winners.get(run.campaignId);
    if (cached) return { variant: cached };
    let row = await this.repo.start(run, flow, delayMs);
    this.started.add(run.campaignId);
    if (!row.winner_variant_id && new Date(row.decide_at).getTime() <= Date.now()) {
      const result = await this.repo.decide(run, flow, { by: 'auto' });
      if (result.outcome === 'decided' || result.outcome === 'already') row = result.row;
      if (result.outcome === 'decided') this.logDecision(run, row);
    }
    if (!row.winner_variant_id) {
      const due = new Date(row.decide_at).getTime();
      return { holdUntil: new Date(Math.max(due, Date.now() + RETRY_HOLD_MS)) };
    }
    return { variant: this.remember(run.campaignId, flow, row.winner_variant_id) };
  }

  /** The hold itself (a postponement that a concurrent decision is not undone by). */
  hold(enrollmentId: string, stepIndex: number, until: Date): Promise<void> {
    return this.repo.hold(enrollmentId, stepIndex, until);
  }

  /** Called by the decider for every due flow of an active run. */
  async decideDue(campaignId: string): Promise<void> {
    const run = await this.runs.find(campaignId);
    const flow = run && this.flowOf(run);
    if (!run || !flow) return;
    const result = await this.repo.decide(run, flow, { by: 'auto' });
    if (result.outcome === 'decided') this.logDecision(run, result.row);
  }

  /** `POST /campaigns/:id/ab-test/winner`: the winner chosen by hand, before any decision. */
  async selectManually(
    scope: Scope,
    campaignId: string,
    variant: string,
  ): Promise<AbTestProgressView> {
    const run = await this.runs.find(campaignId);
    if (run && (run.tenantId !== scope.tenantId || run.workspaceId !== scope.workspaceId))
      throw new NotFoundError('Campaign', campaignId);
    if (!run)
      throw new ConflictError('AB_TEST_NOT_STARTED', 'The campaign has not been launched yet');
    const flow = this.flowOf(run);
    if (!flow)
      throw new ConflictError(
        'AB_TEST_NOT_CONFIGURED',
        'This run has no A/B winner flow: it needs type ab_test, settings.abTest, an email step with two or more weighted variants, and no test mode',
      );
    const chosen = flow.step.variants.find((v) => v.id === variant || v.name === variant);
    if (!chosen || chosen.weight <= 0)
      throw new ValidationError('variant is not a tested variant of the A/B step', [
        {
          field: 'variant',
          message: `must be one of: ${flow.step.variants
            .filter((v) => v.weight > 0)
            .map((v) => `${v.name} (${v.id})`)
            .join(', ')}`,
        },
      ]);
    const result = await this.repo.decide(run, flow, {
      by: 'manual',
      variantId: chosen.id,
      decideAfterMs: decideAfterMs(flow.settings.decideAfter, this.env.EXECUTOR_MINUTE_MS),
    });
    if (result.outcome === 'already') {
      const current = flow.step.variants.find((v) => v.id === result.row.winner_variant_id);
      throw new ConflictError('AB_WINNER_ALREADY_SELECTED', 'A winner was already selected', [
        { field: 'variant', message: `winner is ${current?.name ?? result.row.winner_variant_id}` },
      ]);
    }
    if (result.outcome !== 'decided')
      throw new ConflictError(
        'INVALID_STATE',
        'A winner can only be selected while the campaign is active or paused',
      );
    this.logDecision(run, result.row);
    return (await this.progress(run))!;
  }

  async progress(run: CampaignRun): Promise<AbTestProgressView | undefined> {
    const flow = this.flowOf(run);
    if (!flow) return undefined;
    const [row, counts] = await Promise.all([
      this.repo.find(run.campaignId),
      this.repo.liveCounts(run.campaignId, flow.step.id),
    ]);
    const ended = ['cancelled', 'completed', 'failed'].includes(run.status);
    const phase = row?.winner_variant_id
      ? 'decided'
      : ended
        ? 'abandoned'
        : row
          ? 'testing'
          : 'waiting';
    const held =
      phase === 'testing' || phase === 'waiting'
        ? await this.repo.heldCount(run.campaignId, flow.stepIndex, flow.settings.testPercentage)
        : 0;
    const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
    return {
      phase,
      stepId: flow.step.id,
      testPercentage: flow.settings.testPercentage,
      winnerMetric: flow.settings.winnerMetric,
      startedAt: iso(row?.started_at),
      decideAt: iso(row?.decide_at),
      held,
      variants: statsOf(flow.step, counts),
      winner: row?.winner_variant_id ? winnerView(flow, row) : null,
    };
  }

  private remember(campaignId: string, flow: AbFlow, variantId: string): Variant | null {
    const variant = flow.step.variants.find((v) => v.id === variantId) ?? null;
    if (variant) this.winners.set(campaignId, variant);
    return variant;
  }

  private logDecision(run: CampaignRun, row: AbTestRow): void {
    this.logger.log({
      msg: 'A/B winner selected',
      campaignId: run.campaignId,
      variantId: row.winner_variant_id,
      decidedBy: row.decided_by,
      reason: row.reason,
    });
  }
}

function winnerView(flow: AbFlow, row: AbTestRow): AbTestProgressView['winner'] {
  const v = flow.step.variants.find((x) => x.id === row.winner_variant_id);
  return {
    variantId: row.winner_variant_id!,
    name: v?.name ?? '',
    decidedAt: new Date(row.decided_at!).toISOString(),
    decidedBy: row.decided_by ?? 'auto',
    reason: row.reason ?? '',
    basis: row.basis ?? [],
  };
}
