import { MessageEventTypes, StepView } from '@app/contracts';
import { uuidv7 } from '@app/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AbTestService } from '../ab-test/ab-test.service';
import { WorkspaceLimits } from '../limits/workspace-limits';
import { ChannelError, OutboundMessage } from '../channels/channel';
import { AccountPacer } from '../channels/account-pacer';
import { ChannelAccountsService } from '../channels/channel-accounts.service';
import { ChannelRegistry } from '../channels/channel-registry';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { SendJob } from '../dispatch/dispatcher';
import { FailureTracker } from '../lifecycle/failure-tracker';
import { LeadsSuppressionNotifier } from '../tracking/leads-suppression.notifier';
import { nextWindowOpening, zoneFor } from '../limits/send-window';
import { Metrics } from '../metrics/metrics';
import { CampaignRun } from '../runs/run-snapshot';
import { RunStatusCache } from '../runs/run-status.cache';
import { Advance, Claim, DeliveryRepository, LoadedEnrollment } from './delivery.repository';
import { LinkStore } from './link-store';
import { buildEmail } from './message-builder';
import { DeliveryRef, messageEvent, MessageEventSpec } from './message-events';
import { SendableChecker } from './sendable-checker';
import { nextPosition } from './sequence';
import { chooseVariant } from './variant';
import { conditionHolds } from './step-rules';
import { dayIn, nextMidnightIn, quotaZone } from '../limits/daily-limit-day';

export type SendResult = 'stale' | 'paused' | 'postponed' | 'skipped' | 'exists' | 'settled';

/** Thrown for a temporary failure with attempts left: BullMQ retries the job with backoff. */
export class RetryLater extends Error {}

/**
 * Sends one step to one enrollment, exactly once: every check that can stop or postpone the
 * send runs first (campaign status, send window, suppression, frequency cap), then the
 * delivery row is claimed, then the channel is called, then the outcome is recorded with the
 * enrollment's advance and the message events in one transaction.
 */
@Injectable()
export class SendStepUseCase {
  private readonly logger = new Logger('SendStep');

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly cache: RunStatusCache,
    private readonly sendable: SendableChecker,
    private readonly channels: ChannelRegistry,
    private readonly links: LinkStore,
    private readonly failures: FailureTracker,
    private readonly leadsSuppression: LeadsSuppressionNotifier,
    private readonly metrics: Metrics,
    private readonly accounts: ChannelAccountsService,
    private readonly pacer: AccountPacer,
    private readonly abTests: AbTestService,
    private readonly workspaceLimits: WorkspaceLimits,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  async execute(job: SendJob, lastAttempt: boolean): Promise<SendResult> {
    const e = await this.deliveries.load(job.enrollmentId);
    if (!e || e.status !== 'active' || e.step_index !== job.stepIndex) return 'stale';
    // Cached almost always: read without a promise (two awaits fewer per message).
    const run = this.cache.cachedRun(job.campaignId) ?? (await this.cache.run(job.campaignId));
    if (!run) return 'stale';
    const status =
      this.cache.freshStatus(job.campaignId) ?? (await this.cache.status(job.campaignId));
    if (status !== 'active') {
      // Due again now: only active runs are dispatched, so it goes out as soon as it resumes.
      await this.deliveries.postpone(e.id, e.step_index, new Date());
      this.metrics.limiterWaits.inc({ reason: 'paused' });
      return 'paused';
    }
    const step = run.snapshot.steps[e.step_index];
    const advanceFrom = (from: number, endStatus?: string) => {
      const next = nextPosition(run.snapshot.steps, from, new Date(), this.env.EXECUTOR_MINUTE_MS);
      return {
        enrollmentId: e.id,
        fromStep: e.step_index,
        toStep: next.stepIndex,
        runAt: next.runAt,
        endStatus,
      };
    };
    if (!step || (step.type !== 'email' && step.type !== 'webhook')) {
      const holds =
        step?.type !== 'condition' ||
        conditionHolds(step, await this.deliveries.engagementOf(e.id, e.step_index));
      // A condition that does not hold skips the step right after it.
      await this.deliveries.advanceNow(advanceFrom(holds ? e.step_index : e.step_index + 1));
      return 'settled';
    }
    const window = run.snapshot.settings.sendWindow;
    const opening = window
      ? nextWindowOpening(window, zoneFor(e.timezone, window), new Date())
      : null;
    if (opening) {
      await this.deliveries.postpone(e.id, e.step_index, opening);
      this.metrics.limiterWaits.inc({ reason: 'send_window' });
      return 'postponed';
    }
    const channel = step.type === 'webhook' ? 'webhook' : 'email';
    let variant = chooseVariant(step.variants ?? [], e.id);
    if (this.abTests.applies(run, e.step_index)) {
      const ab = await this.abTests.resolve(run, e.id);
      if ('holdUntil' in ab) {
        await this.abTests.hold(e.id, e.step_index, ab.holdUntil);
        this.metrics.limiterWaits.inc({ reason: 'ab_test' });
        return 'postponed';
      }
      variant = ab.variant;
    }
    const dailyLimit = run.testMode ? null : (run.snapshot.settings.dailyLimit ?? null);
    const claim: Claim = {
      // Time-ordered: claims append to the primary key's right end instead of a random page.
      id: uuidv7(),
      tenantId: e.tenant_id,
      workspaceId: e.workspace_id,
      campaignId: run.campaignId,
      enrollmentId: e.id,
      stepId: step.id,
      stepIndex: e.step_index,
      variantId: variant?.id ?? null,
      channel,
      recipient: channel === 'email' ? e.email : String(step.webhook?.url ?? ''),
      testMode: run.testMode,
      dailyLimit,
      quotaDay: dailyLimit === null ? null : dayIn(new Date(), quotaZone(run.snapshot.timezone)),
      frequencyCap:
        channel === 'email' && !run.testMode
          ? (await this.workspaceLimits.frequencyCap(e.workspace_id)) || null
          : null,
    };
    const ref: DeliveryRef = {
      deliveryId: claim.id,
      enrollmentId: e.id,
      stepId: step.id,
      stepPosition: step.position,
      variantId: claim.variantId,
      channel,
      segmentId: e.segment_id,
      source: e.source,
      testMode: run.testMode,
      leadId: e.lead_id,
    };
    const blocked = await this.blockedReason(e, run);
    if (blocked) {
      await this.deliveries.skip(
        claim,
        blocked,
        advanceFrom(e.step_index, 'stopped'),
        messageEvent(run, ref, MessageEventTypes.failed, {
          code: 'SUPPRESSED',
          reason: blocked,
          permanent: true,
        }),
      );
      this.metrics.sends.inc({ channel, outcome: 'skipped' });
      return 'skipped';
    }
    // A cheap early look; the claim below enforces the cap exactly (under a lock).
    if (claim.frequencyCap !== null && (await this.capWait(e, claim.frequencyCap, false)))
      return 'postponed';
    // The channel account (own credentials and rate): the campaign's, else the workspace default.
    const account =
      channel === 'email'
        ? await this.accounts.forSend(e.workspace_id, run.snapshot.settings.channelAccountId)
        : null;
    if (account && typeof account === 'object' && account.ratePerSecond > 0) {
      const pacing = await this.pacer.pace(account.id, account.ratePerSecond);
      if ('postponeUntil' in pacing) {
        await this.deliveries.postpone(e.id, e.step_index, pacing.postponeUntil);
        this.metrics.limiterWaits.inc({ reason: 'account_rate' });
        return 'postponed';
      }
    }
    const claimed = await this.deliveries.claim(claim, {
      run,
      ref,
      type: MessageEventTypes.queued,
    });
    if (claimed === 'daily_limit') {
      await this.deliveries.postpone(
        e.id,
        e.step_index,
        nextMidnightIn(new Date(), quotaZone(run.snapshot.timezone)),
      );
      this.metrics.limiterWaits.inc({ reason: 'daily_limit' });
      return 'postponed';
    }
    // Another replica took the last slot meanwhile.
    if (claimed === 'frequency_cap' && (await this.capWait(e, claim.frequencyCap!, true)))
      return 'postponed';
    if (claimed === 'exists') return this.alreadyClaimed(e, step, advanceFrom(e.step_index));
    if (account === 'missing' || account === 'blocked') {
      const unusable = new ChannelError(
        account === 'missing' ? 'CHANNEL_ACCOUNT_MISSING' : 'CHANNEL_ACCOUNT_BLOCKED',
        account === 'missing'
          ? `channel account ${run.snapshot.settings.channelAccountId} no longer exists`
          : 'the channel account’s SMTP host resolves to a refused address',
        'permanent',
      );
      return this.failed(run, e, ref, claim, unusable, lastAttempt, advanceFrom);
    }
    const message = await this.build(run, step, variant, e, claim.id);
    const timer = this.metrics.sendSeconds.startTimer({ channel });
    let result: { providerMessageId?: string };
    try {
      result = await (account?.channel ?? this.channels.get(channel)).send(message);
    } catch (err) {
      timer();
      // A failure the channel did not classify may have happened after the message left:
      // record it as uncertain rather than free the claim for a second send.
      const failure =
        err instanceof ChannelError
          ? err
          : new ChannelError('CHANNEL_ERROR', (err as Error).message, 'uncertain');
      return this.failed(run, e, ref, claim, failure, lastAttempt, advanceFrom);
    }
    timer();
    // The message is out. From here on the claim is never released: if recording the outcome
    // keeps failing (database gone), the delivery stays claimed, a retried job sees the claim
    // and sends nothing, and claim recovery later marks it uncertain.
    await retrying(() =>
      this.deliveries.settle(
        claim.id,
        { status: 'sent', providerMessageId: result.providerMessageId },
        advanceFrom(e.step_index),
        // The provider accepted the message: `sent`. Whether it reached the mailbox is only
        // known from a delivery receipt (inbound `delivered`, which emits message.delivered).
        [
          {
            run,
            ref,
            type: MessageEventTypes.sent,
            extra: { providerMessageId: result.providerMessageId },
          },
        ],
      ),
    );
    this.metrics.sends.inc({ channel, outcome: 'sent' });
    await this.failures.succeeded(run.campaignId);
    return 'settled';
  }

  private async failed(
    run: CampaignRun,
    e: LoadedEnrollment,
    ref: DeliveryRef,
    claim: Claim,
    err: ChannelError,
    lastAttempt: boolean,
    advanceFrom: (from: number, endStatus?: string) => Advance,
  ): Promise<SendResult> {
    const channel = claim.channel;
    if (err.kind === 'temporary' && !lastAttempt) {
      await this.deliveries.release(claim);
      this.metrics.sends.inc({ channel, outcome: 'retry' });
      throw new RetryLater(`${err.code}: ${err.message}`);
    }
    if (err.kind === 'uncertain') {
      await this.deliveries.settle(
        claim.id,
        { status: 'uncertain', code: err.code, reason: err.message },
        advanceFrom(e.step_index),
        [
          {
            run,
            ref,
            type: MessageEventTypes.uncertain,
            extra: { code: err.code, reason: err.message },
          },
        ],
      );
      this.metrics.sends.inc({ channel, outcome: 'uncertain' });
    } else {
      const bounce = channel === 'email' && err.kind === 'permanent' && /^SMTP_5/.test(err.code);
      const type = bounce ? MessageEventTypes.bounced : MessageEventTypes.failed;
      const reason =
        err.kind === 'temporary'
          ? `gave up after ${this.env.SEND_ATTEMPTS} attempts: ${err.message}`
          : err.message;
      const outcome: MessageEventSpec = {
        run,
        ref,
        type,
        extra: { code: err.code, reason, permanent: true },
      };
      await this.deliveries.settle(
        claim.id,
        { status: 'failed', code: err.code, reason },
        advanceFrom(e.step_index, bounce ? 'bounced' : 'failed'),
        // A message the mail server refused at once was sent and bounced, like one that
        // bounces later: analytics counts it in `sent` and takes it out of the reached base.
        bounce ? [{ run, ref, type: MessageEventTypes.sent }, outcome] : [outcome],
      );
      if (bounce) {
        await this.deliveries.suppress(e.tenant_id, e.workspace_id, e.email, 'bounced');
        await this.leadsSuppression.notify(
          { tenantId: e.tenant_id, workspaceId: e.workspace_id },
          e.email,
          'bounced',
        );
      }
      this.metrics.sends.inc({ channel, outcome: bounce ? 'bounced' : 'failed' });
    }
    this.logger.warn({
      msg: 'send failed',
      campaignId: run.campaignId,
      deliveryId: claim.id,
      code: err.code,
      kind: err.kind,
    });
    await this.failures.failed(run, err.code);
    return 'settled';
  }

  /**
   * Postpones the step until the contact's oldest send of the last 24 h is a day old, when the
   * cap is reached. `refused` (the claim said so) always postpones: by a second when the slot
   * freed up meanwhile, never to "now", which would leave the step to the dispatch lease while
   * this job still holds its id.
   */
  private async capWait(e: LoadedEnrollment, cap: number, refused: boolean): Promise<boolean> {
    const recent = await this.deliveries.sentInLastDay(e.workspace_id, e.email);
    const full = recent.count >= cap && recent.oldest;
    if (!full && !refused) return false;
    const until = full
      ? new Date(new Date(recent.oldest!).getTime() + 86400000)
      : new Date(Date.now() + 1000);
    await this.deliveries.postpone(e.id, e.step_index, until);
    this.metrics.limiterWaits.inc({ reason: 'frequency_cap' });
    return true;
  }

  private async blockedReason(e: LoadedEnrollment, run: CampaignRun): Promise<string | null> {
    if (e.suppressed) return 'suppressed';
    if (run.testMode) return null;
    return this.sendable.check(e.tenant_id, e.workspace_id, e.email);
  }

  /** The step was claimed before (a retried or redispatched job): never send it again. */
  private async alreadyClaimed(
    e: LoadedEnrollment,
    step: StepView,
    advance: Advance,
  ): Promise<SendResult> {
    const existing = await this.deliveries.existing(e.id, step.id);
    // A settled delivery whose enrollment did not move on (crash after settle): move it now.
    // A delivery still `claimed` is in flight elsewhere or orphaned: claim recovery decides.
    if (existing && existing.status !== 'claimed') await this.deliveries.advanceNow(advance);
    return 'exists';
  }

  private async build(
    run: CampaignRun,
    step: StepView,
    variant: StepView['variants'][number] | null,
    e: LoadedEnrollment,
    deliveryId: string,
  ): Promise<OutboundMessage> {
    const contact = {
      email: e.email,
      firstName: e.first_name,
      lastName: e.last_name,
      company: e.company,
      title: e.title,
      phone: e.phone,
      timezone: e.timezone,
      customFields: e.custom_fields,
    };
    if (step.type === 'webhook') {
      return {
        deliveryId,
        to: String(step.webhook?.url),
        url: String(step.webhook?.url),
        batchSize: Number(step.webhook?.batchSize) || 1,
        payload: {
          deliveryId,
          campaignId: run.campaignId,
          stepId: step.id,
          variantId: variant?.id ?? null,
          testMode: run.testMode,
          contact,
        },
      };
    }
    return buildEmail({
      run,
      step,
      variant,
      contact,
      deliveryId,
      publicUrl: this.env.PUBLIC_API_URL,
      trackingSecret: this.env.TRACKING_SECRET,
      linkId: (url) => this.links.idFor(run.campaignId, url),
    });
  }
}

/** Retries a write through short database outages (a restart, killed connections): ~15 s. */
async function retrying<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** (i - 1), 4000)));
    }
  }
}
