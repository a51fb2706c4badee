import { RequestContext } from '@app/common';
import { AnalyticsRpc, CampaignStatistics, CampaignView, ExecutorRpc } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ANALYTICS, EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';

/** How long a campaign view waits for its figures before it goes out without them. */
const STATISTICS_TIMEOUT_MS = 2000;
/**
 * How long figures fetched for a campaign are reused. They trail the sends by about a second
 * anyway (events reach analytics through Kafka), and a list that a dashboard polls, or that many
 * users open at once, then costs one analytics call per second instead of one per request.
 */
const REUSE_MS = 1000;
const MAX_CACHED = 20_000;

/** A campaign that has just been created has no events yet. */
export const NO_STATISTICS: CampaignStatistics = {
  sent: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  replied: 0,
  converted: 0,
  bounced: 0,
  failed: 0,
  unsubscribed: 0,
  openRate: 0,
  clickRate: 0,
  replyRate: 0,
  conversionRate: 0,
  revenue: 0,
  cost: 0,
};

/** A campaign's live figures: `statistics`, and the contacts its launch enrolled. */
type Figures = { statistics: CampaignStatistics | null; enrolled: number | null };

/**
 * Campaign views carry the campaign's live figures, fetched for a whole page of campaigns at
 * once and reused for REUSE_MS:
 * - `statistics`, its all-time figures from the analytics service (one call). They follow the
 *   event stream, so they lag the sends by the time an event takes to reach analytics (about a
 *   second). When analytics cannot answer, the views still go out with `statistics: null`
 *   rather than zeros that would read as "nothing sent".
 * - `targetAudience.totalCount`, the contacts its launch enrolled so far, from the executor (one
 *   call, at the same time): `null` before a launch (`POST /campaigns/:id/simulate` previews the
 *   audience), or when the executor cannot answer.
 */
@Injectable()
export class CampaignStatisticsReader {
  private readonly logger = new Logger('CampaignStatistics');
  /** By workspace and campaign id, in insertion order (the oldest goes first when full). */
  private readonly recent = new Map<string, { at: number; figures: Figures }>();

  constructor(
    @Inject(ANALYTICS) private readonly analytics: ServiceClient,
    @Inject(EXECUTOR) private readonly executor: ServiceClient,
  ) {}

  async fill<T extends CampaignView>(ctx: RequestContext, views: T[]): Promise<T[]> {
    const now = Date.now();
    const key = (id: string) => `${ctx.workspaceId}:${id}`;
    const known = new Map<string, Figures>();
    for (const v of views) {
      const hit = this.recent.get(key(v.id));
      if (hit && now - hit.at < REUSE_MS) known.set(v.id, hit.figures);
    }
    const missing = views.filter((v) => !known.has(v.id)).map((v) => v.id);
    if (missing.length) {
      const [statistics, enrolled] = await Promise.all([
        this.ask<CampaignStatistics>(this.analytics, AnalyticsRpc.campaignStatistics, missing, ctx),
        this.ask<number>(this.executor, ExecutorRpc.enrolledCounts, missing, ctx),
      ]);
      for (const id of missing) {
        const figures = { statistics: statistics?.[id] ?? null, enrolled: enrolled?.[id] ?? null };
        known.set(id, figures);
        // Only what both services answered is reused; a failure is asked again next time.
        if (statistics?.[id] && enrolled) this.remember(key(id), now, figures);
      }
    }
    return views.map((v) => {
      const figures = known.get(v.id);
      return {
        ...v,
        targetAudience: { ...v.targetAudience, totalCount: figures?.enrolled ?? null },
        statistics: figures?.statistics ?? null,
      };
    });
  }

  async one<T extends CampaignView>(ctx: RequestContext, view: T): Promise<T> {
    return (await this.fill(ctx, [view]))[0];
  }

  /** A campaign created a moment ago (create, clone): nothing can have been counted yet. */
  fresh<T extends CampaignView>(view: T): T {
    return {
      ...view,
      targetAudience: { ...view.targetAudience, totalCount: null },
      statistics: { ...NO_STATISTICS },
    };
  }

  /** One service's figures for the page, by campaign id; undefined when it did not answer. */
  private async ask<V>(
    client: ServiceClient,
    pattern: string,
    campaignIds: string[],
    ctx: RequestContext,
  ): Promise<Record<string, V> | undefined> {
    try {
      return await client.call<Record<string, V>>(
        pattern,
        { campaignIds },
        ctx,
        Math.min(client.timeoutMs, STATISTICS_TIMEOUT_MS),
      );
    } catch (err) {
      this.logger.warn({
        msg: 'campaign figures unavailable',
        pattern,
        campaigns: campaignIds.length,
        error: (err as Error).message,
      });
      return undefined;
    }
  }

  private remember(key: string, at: number, figures: Figures): void {
    this.recent.delete(key);
    this.recent.set(key, { at, figures });
    if (this.recent.size > MAX_CACHED) this.recent.delete(this.recent.keys().next().value!);
  }
}
