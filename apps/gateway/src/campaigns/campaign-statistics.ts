import { RequestContext } from '@app/common';
import { AnalyticsRpc, CampaignStatistics, CampaignView } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ANALYTICS } from '../core/service-clients.module';
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

/**
 * Campaign views carry the campaign's all-time figures (`statistics`) from the analytics
 * service, fetched for a whole page of campaigns in one call and reused for REUSE_MS. They
 * follow the event stream, so they lag the sends by the time an event takes to reach analytics
 * (about a second). When analytics cannot answer, the views still go out, with
 * `statistics: null` rather than zeros that would read as "nothing sent".
 */
@Injectable()
export class CampaignStatisticsReader {
  private readonly logger = new Logger('CampaignStatistics');
  /** By workspace and campaign id, in insertion order (the oldest goes first when full). */
  private readonly recent = new Map<string, { at: number; figures: CampaignStatistics }>();

  constructor(@Inject(ANALYTICS) private readonly analytics: ServiceClient) {}

  async fill<T extends CampaignView>(ctx: RequestContext, views: T[]): Promise<T[]> {
    const now = Date.now();
    const key = (id: string) => `${ctx.workspaceId}:${id}`;
    const known = new Map<string, CampaignStatistics>();
    for (const v of views) {
      const hit = this.recent.get(key(v.id));
      if (hit && now - hit.at < REUSE_MS) known.set(v.id, hit.figures);
    }
    const missing = views.filter((v) => !known.has(v.id)).map((v) => v.id);
    if (missing.length) {
      try {
        const fetched = await this.analytics.call<Record<string, CampaignStatistics>>(
          AnalyticsRpc.campaignStatistics,
          { campaignIds: missing },
          ctx,
          Math.min(this.analytics.timeoutMs, STATISTICS_TIMEOUT_MS),
        );
        for (const [id, figures] of Object.entries(fetched)) {
          known.set(id, figures);
          this.remember(key(id), now, figures);
        }
      } catch (err) {
        this.logger.warn({
          msg: 'campaign statistics unavailable',
          campaigns: missing.length,
          error: (err as Error).message,
        });
      }
    }
    return views.map((v) => ({ ...v, statistics: known.get(v.id) ?? null }));
  }

  async one<T extends CampaignView>(ctx: RequestContext, view: T): Promise<T> {
    return (await this.fill(ctx, [view]))[0];
  }

  /** A campaign created a moment ago (create, clone): nothing can have been counted yet. */
  fresh<T extends CampaignView>(view: T): T {
    return { ...view, statistics: { ...NO_STATISTICS } };
  }

  private remember(key: string, at: number, figures: CampaignStatistics): void {
    this.recent.delete(key);
    this.recent.set(key, { at, figures });
    if (this.recent.size > MAX_CACHED) this.recent.delete(this.recent.keys().next().value!);
  }
}
