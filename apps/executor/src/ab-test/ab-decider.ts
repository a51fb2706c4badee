import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Periodic } from '@app/common';
import { DataSource } from 'typeorm';
import { AbTestService } from './ab-test.service';

const SWEEP_MS = 1000;

/**
 * Takes the automatic A/B decisions that are due, so the winner is chosen (and announced) on
 * time even when no held contact asks for it. Any replica may run it: the decision itself is
 * taken under the ab_tests row lock and written once. A paused run is decided after resume.
 */
@Injectable()
export class AbDecider implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop = new Periodic(
    new Logger('AbDecider'),
    'A/B decision sweep failed',
    SWEEP_MS,
    () => this.sweep(),
  );

  constructor(
    private readonly ds: DataSource,
    private readonly abTests: AbTestService,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  private async sweep(): Promise<void> {
    const due: { campaign_id: string }[] = await this.ds.query(
      `SELECT a.campaign_id FROM executor.ab_tests a
         JOIN executor.campaign_runs r ON r.campaign_id = a.campaign_id
        WHERE a.winner_variant_id IS NULL AND a.decide_at <= now() AND r.status = 'active'`,
    );
    for (const { campaign_id } of due) await this.abTests.decideDue(campaign_id);
  }
}
