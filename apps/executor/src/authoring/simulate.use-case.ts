import { ConflictError, RequestContext } from '@app/common';
import {
  AudiencePage,
  AudienceRequest,
  LeadsRpc,
  SimulateCampaignDto,
  SimulationResult,
} from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { LEADS_CLIENT, ServiceClient } from '../core/service-client';
import { AuthoringContext } from './authoring-context';
import { abFlowOf, decideAfterMs } from '../ab-test/ab-rules';
import { quotaZone } from '../limits/daily-limit-day';
import { WorkspaceLimits } from '../limits/workspace-limits';
import { SimContact, simulate } from './simulation';

const PAGE_SIZE = 50000;

/**
 * The dry run: resolves the audience exactly as launch does (segments, filters, suppression,
 * consent, targetPercentage sampled with the campaign id as salt), then plays the sequence
 * forward under the campaign's rules without sending or writing anything.
 */
@Injectable()
export class SimulateCampaignUseCase {
  constructor(
    private readonly context: AuthoringContext,
    private readonly ds: DataSource,
    @Inject(LEADS_CLIENT) private readonly leads: ServiceClient,
    private readonly workspaceLimits: WorkspaceLimits,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  async execute(
    ctx: RequestContext,
    campaignId: string,
    dto: SimulateCampaignDto,
  ): Promise<SimulationResult> {
    const started = Date.now();
    const { campaign, run } = await this.context.run(ctx, campaignId, dto);
    if (campaign.status === 'completed') {
      throw new ConflictError('INVALID_TRANSITION', 'A completed campaign cannot be simulated', [
        { field: 'status', message: 'current status is completed', currentStatus: 'completed' },
      ]);
    }
    const start = dto.startAt ? new Date(dto.startAt) : new Date();
    const audience = run.testMode
      ? this.testAudience(run.snapshot.settings.testRecipients ?? [])
      : await this.audience(ctx, run, campaignId);
    const cap = run.testMode ? 0 : await this.workspaceLimits.frequencyCap(run.workspaceId);
    const contacts = await this.withRecentSends(run.workspaceId, audience.contacts, start, cap);
    const flow = abFlowOf(run);
    const sampleSize = dto.sampleSize ?? 10;
    const sample = contacts.slice(0, sampleSize);
    const out = simulate({
      steps: run.snapshot.steps,
      settings: run.snapshot.settings,
      quotaTimezone: quotaZone(run.snapshot.timezone),
      contacts,
      start,
      minuteMs: this.env.EXECUTOR_MINUTE_MS,
      frequencyCapPerDay: cap,
      sampleIds: new Set(sample.map((c) => c.id)),
      abTest: flow
        ? {
            stepIndex: flow.stepIndex,
            testPercentage: flow.settings.testPercentage,
            decideAfterMs: decideAfterMs(flow.settings.decideAfter, this.env.EXECUTOR_MINUTE_MS),
          }
        : undefined,
    });
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return {
      campaignId,
      startAt: start.toISOString(),
      audience: { ...audience.totals, enrolled: contacts.length },
      totals: {
        sends: out.sends,
        firstSendAt: iso(out.firstSendAt),
        lastSendAt: iso(out.lastSendAt),
        days: out.perDay.size,
      },
      steps: out.steps,
      perDay: [...out.perDay].map(([date, steps]) => ({
        date,
        sends: steps.reduce((n, s) => n + s.sends, 0),
        steps,
      })),
      sample: sample.map((c) => ({
        leadId: c.id,
        email: c.email,
        timezone: c.timezone,
        timeline: (out.timelines.get(c.id) ?? []).map((t) => ({
          stepId: t.stepId,
          position: t.position,
          at: new Date(t.at).toISOString(),
          variant: t.variant,
        })),
      })),
      assumptions: [
        'Nothing changes between the dry run and the launch (audience, suppression, settings).',
        'Condition steps are taken as met: the plan cannot know future opens, clicks or replies.',
        'A/B variants are drawn per contact at enrollment, so per-variant counts of the real run differ by chance; per-step and per-day counts do not.',
        'Sends happen at the moment they are due; the real run adds the queue and channel latency.',
        ...(flow
          ? [
              'A/B winner flow: the test share is drawn per enrollment, so its size differs by chance; the rest is planned at the decision time, its variant (the winner) is not known yet.',
            ]
          : []),
      ],
      ...(flow && out.abTest
        ? {
            abTest: {
              stepId: flow.step.id,
              testPercentage: flow.settings.testPercentage,
              decideAt: iso(out.abTest.decideAt),
              testShare: out.abTest.testShare,
              afterDecision: out.abTest.afterDecision,
            },
          }
        : {}),
      tookMs: Date.now() - started,
    };
  }

  private async audience(
    ctx: RequestContext,
    run: {
      targetPercentage: number;
      snapshot: { targetAudience: { segments?: string[]; filters?: Record<string, unknown> } };
    },
    campaignId: string,
  ) {
    const contacts: SimContact[] = [];
    let totals: SimulationResult['audience'] | undefined;
    let afterId: string | null = null;
    do {
      const request: AudienceRequest = {
        segmentIds: run.snapshot.targetAudience?.segments ?? [],
        filters: run.snapshot.targetAudience?.filters,
        targetPercentage: run.targetPercentage,
        sampleSalt: campaignId,
        ...(afterId ? { afterId } : {}),
        limit: PAGE_SIZE,
      };
      const page: AudiencePage = await this.leads.call<AudiencePage>(
        LeadsRpc.resolveAudience,
        request,
        ctx,
        120000,
      );
      if (page.totals) totals = { ...page.totals, enrolled: 0 };
      for (const c of page.contacts)
        contacts.push({ id: c.id, email: c.email, timezone: c.timezone });
      afterId = page.nextAfterId;
    } while (afterId);
    const fallback = {
      matched: contacts.length,
      eligible: contacts.length,
      enrolled: 0,
      excluded: { suppressed: 0, unconsented: 0, sampledOut: 0 },
    };
    return { contacts, totals: totals ?? fallback };
  }

  private testAudience(recipients: string[]) {
    const contacts = [...new Set(recipients.map((e) => e.toLowerCase()))].map((email, i) => ({
      id: `test-${i}-${email}`,
      email,
      timezone: null,
    }));
    return {
      contacts,
      totals: {
        matched: contacts.length,
        eligible: contacts.length,
        enrolled: 0,
        excluded: { suppressed: 0, unconsented: 0, sampledOut: 0 },
      },
    };
  }

  /** The frequency cap counts sends of the last 24 hours across the workspace's campaigns. */
  private async withRecentSends(
    workspaceId: string,
    contacts: SimContact[],
    start: Date,
    cap: number,
  ): Promise<SimContact[]> {
    if (cap <= 0 || !contacts.length) return contacts;
    const rows: Array<{ recipient: string; times: number[] }> = await this.ds.query(
      `SELECT recipient, array_agg((extract(epoch FROM claimed_at) * 1000)::float8) AS times
         FROM executor.deliveries
        WHERE workspace_id = $1 AND channel = 'email' AND NOT test_mode
          AND status IN ('claimed', 'sent', 'uncertain') AND claimed_at > $2::timestamptz - interval '24 hours'
        GROUP BY recipient`,
      [workspaceId, start.toISOString()],
    );
    const recent = new Map(rows.map((r) => [r.recipient, r.times.map(Number)]));
    return contacts.map((c) => ({ ...c, recentSends: recent.get(c.email) ?? [] }));
  }
}
