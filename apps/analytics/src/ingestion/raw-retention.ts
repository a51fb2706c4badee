import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ANALYTICS_ENV, AnalyticsEnv } from '../config';

const CHUNK = 10000;

/**
 * Deletes raw events older than ANALYTICS_RAW_RETENTION_DAYS (by received_at), in chunks so it
 * never holds long locks. Rollups are untouched. Idempotency for a replay holds as long as the
 * replayed events are younger than the retention (docs/analytics.md, "Retention").
 */
@Injectable()
export class RawRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RawRetention');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly ds: DataSource,
    @Inject(ANALYTICS_ENV) private readonly env: AnalyticsEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), this.env.ANALYTICS_PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const res: [unknown[], number] = await this.ds.query(
          `DELETE FROM analytics.events WHERE event_id IN (
             SELECT event_id FROM analytics.events
             WHERE received_at < now() - make_interval(days => $1) LIMIT $2)`,
          [this.env.ANALYTICS_RAW_RETENTION_DAYS, CHUNK],
        );
        total += res[1];
        if (res[1] < CHUNK) break;
      }
      if (total) this.logger.log({ msg: 'raw events purged', count: total });
    } catch (err) {
      this.logger.error({ msg: 'raw event purge failed', error: (err as Error).message });
    }
    return total;
  }
}
