import { CampaignEventTypes, EventEnvelope } from '@app/contracts';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EventConsumer } from '../events/event-consumer';
import { LaunchRunUseCase } from './launch-run.use-case';
import { RunStatusCache } from './run-status.cache';
import { RunRepository } from './run.repository';

/**
 * Follows a campaign's lifecycle from `campaign.events`. Pause and resume only flip the run's
 * status: enrollments keep their current step, so resume continues exactly where each contact
 * was, and no job in Redis needs surgery (the send worker checks the status before each claim).
 */
@Injectable()
export class CampaignLifecycleHandlers implements OnModuleInit {
  private readonly logger = new Logger('CampaignLifecycle');

  constructor(
    private readonly consumer: EventConsumer,
    private readonly launch: LaunchRunUseCase,
    private readonly runs: RunRepository,
    private readonly cache: RunStatusCache,
  ) {}

  onModuleInit(): void {
    this.consumer.on(CampaignEventTypes.started, (e) => this.launch.execute(e));
    this.consumer.on(CampaignEventTypes.paused, (e) => this.follow(e, 'paused'));
    this.consumer.on(CampaignEventTypes.resumed, (e) => this.follow(e, 'active'));
    this.consumer.on(CampaignEventTypes.completed, (e) => this.complete(e));
    this.consumer.on(CampaignEventTypes.failed, (e) => this.follow(e, 'failed'));
    this.consumer.on(CampaignEventTypes.cancelled, (e) => this.cancel(e));
  }

  private async follow(event: EventEnvelope, status: string): Promise<void> {
    const reason = (event.data as { reason?: string }).reason ?? null;
    if (await this.runs.setStatus(event.campaignId!, status, reason)) {
      this.cache.set(event.campaignId!, status);
      this.logger.log({ msg: `run ${status}`, campaignId: event.campaignId });
    }
  }

  /**
   * A campaign completes on its own once every sequence has finished (nothing left to stop), or
   * before that when its schedule.endDate passes or a user completes it: then every contact still
   * in a sequence stops where it is (`stopped`, with the campaign's reason), so nothing is left
   * waiting for a run that will never be active again.
   */
  private async complete(event: EventEnvelope): Promise<void> {
    await this.follow(event, 'completed');
    const stopped = await this.runs.endActiveEnrollments(event.campaignId!);
    if (stopped)
      this.logger.log({ msg: 'enrollments stopped', campaignId: event.campaignId, count: stopped });
  }

  private async cancel(event: EventEnvelope): Promise<void> {
    await this.follow(event, 'cancelled');
    const ended = await this.runs.endActiveEnrollments(event.campaignId!);
    this.logger.log({ msg: 'enrollments cancelled', campaignId: event.campaignId, count: ended });
  }
}
