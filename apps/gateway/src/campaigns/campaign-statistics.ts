import { RequestContext } from '@app/common';
import { AnalyticsRpc, CampaignStatistics, CampaignView } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ANALYTICS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';

/** How long a campaign view waits for its figures before it goes out without them. */
const STATISTICS_TIMEOUT_MS = 2000;

/**
 * Campaign views carry the campaign's all-time figures (`statistics`) from the analytics
 * service, fetched for a whole page of campaigns in one call. They follow the event stream, so
 * they lag the sends by the time an event takes to reach analytics (about a second). When
 * analytics cannot answer, the views still go out, with `statistics: null` rather than zeros
 * that would read as "nothing sent".
 */
@Injectable()
export class CampaignStatisticsReader {
  private readonly logger = new Logger('CampaignStatistics');

  constructor(@Inject(ANALYTICS) private readonly analytics: ServiceClient) {}

  async fill<T extends CampaignView>(ctx: RequestContext, views: T[]): Promise<T[]> {
    if (!views.length) return views;
    let figures: Record<string, CampaignStatistics> | null = null;
    try {
      figures = await this.analytics.call<Record<string, CampaignStatistics>>(
        AnalyticsRpc.campaignStatistics,
        { campaignIds: views.map((v) => v.id) },
        ctx,
        Math.min(this.analytics.timeoutMs, STATISTICS_TIMEOUT_MS),
      );
    } catch (err) {
      this.logger.warn({
        msg: 'campaign statistics unavailable',
        campaigns: views.length,
        error: (err as Error).message,
      });
    }
    return views.map((v) => ({ ...v, statistics: figures?.[v.id] ?? null }));
  }

  async one<T extends CampaignView>(ctx: RequestContext, view: T): Promise<T> {
    return (await this.fill(ctx, [view]))[0];
  }
}
