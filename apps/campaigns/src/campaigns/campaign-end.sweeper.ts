import { DomainError, Periodic } from '@app/common';
import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CampaignsModule } from './campaigns.module';
import { CampaignsService } from './campaigns.service';

const END_SWEEP_MS = Symbol('END_SWEEP_MS');
/** Campaigns ended per round; a longer backlog is worked through in the following rounds. */
const BATCH = 100;

/**
 * Ends campaigns whose `schedule.endDate` has passed while they were still to send or sending
 * (scheduled, schedule_missed, active, paused): each moves to `completed` through the state
 * machine (action `end`, reason "schedule.endDate … reached"), and `campaign.completed` tells
 * the executor to stop every contact's sequence. Every `CAMPAIGN_END_SWEEP_MS`, on every
 * replica: the transition locks the row, so a campaign two replicas find at once is ended once
 * (the other gets "Cannot end a campaign that is completed" and moves on).
 */
@Injectable()
export class CampaignEndSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CampaignEnd');
  private readonly loop: Periodic;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly campaigns: CampaignsService,
    @Inject(END_SWEEP_MS) everyMs: number,
  ) {
    this.loop = new Periodic(this.logger, 'campaign end sweep failed', everyMs, () => this.sweep());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
  }

  /** One round; returns how many campaigns it ended. */
  async sweep(): Promise<number> {
    const due: { id: string; tenant_id: string; workspace_id: string; ends_at: Date }[] =
      await this.ds.query(
        `SELECT id, tenant_id, workspace_id, ends_at FROM campaigns.campaigns
          WHERE ends_at <= now()
            AND status IN ('scheduled', 'schedule_missed', 'active', 'paused')
          ORDER BY ends_at LIMIT $1`,
        [BATCH],
      );
    let ended = 0;
    for (const c of due) {
      if (this.stopped) break;
      try {
        await this.campaigns.transition(
          { tenantId: c.tenant_id, workspaceId: c.workspace_id },
          c.id,
          {
            action: 'end',
            reason: `schedule.endDate ${c.ends_at.toISOString()} reached`,
          },
        );
        ended++;
        this.logger.log({ msg: 'campaign ended', campaignId: c.id, endDate: c.ends_at });
      } catch (err) {
        // Another replica, or the user, moved it first.
        if (err instanceof DomainError && [404, 409].includes(err.status)) continue;
        throw err;
      }
    }
    return ended;
  }
}

@Module({})
export class CampaignEndModule {
  static register(everyMs: number): DynamicModule {
    return {
      module: CampaignEndModule,
      imports: [CampaignsModule],
      providers: [{ provide: END_SWEEP_MS, useValue: everyMs }, CampaignEndSweeper],
    };
  }
}
