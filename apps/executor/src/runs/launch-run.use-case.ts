import { DomainError, RequestContext } from '@app/common';
import { CampaignsRpc, CampaignView, EventEnvelope } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CAMPAIGNS_CLIENT, ServiceClient } from '../core/service-client';
import { addEnrollJob } from '../enrollment/enroll-job';
import { Queues } from '../queues/queues';
import { CampaignRun, snapshotOf } from './run-snapshot';
import { RunStatusCache } from './run-status.cache';
import { RunRepository } from './run.repository';

/** The request context of the user action an event records, for calls made on its behalf. */
export function contextOf(event: EventEnvelope): RequestContext {
  return {
    requestId: event.requestId ?? event.eventId,
    tenantId: event.tenantId,
    workspaceId: event.workspaceId,
  };
}

/**
 * `campaign.started`: freezes the campaign (steps, settings, launch options) into a run and
 * queues its enrollment. Triggered campaigns enroll nobody now: lead events enroll them later.
 */
@Injectable()
export class LaunchRunUseCase {
  private readonly logger = new Logger('LaunchRun');

  constructor(
    @Inject(CAMPAIGNS_CLIENT) private readonly campaigns: ServiceClient,
    private readonly runs: RunRepository,
    private readonly cache: RunStatusCache,
    private readonly queues: Queues,
  ) {}

  async execute(event: EventEnvelope<{ launch?: Record<string, unknown> }>): Promise<void> {
    const ctx = contextOf(event);
    const campaignId = event.campaignId!;
    let campaign: CampaignView;
    try {
      campaign = await this.campaigns.call<CampaignView>(CampaignsRpc.get, { id: campaignId }, ctx);
    } catch (err) {
      if (err instanceof DomainError && err.status === 404) {
        this.logger.warn({ msg: 'launched campaign no longer exists', campaignId });
        return;
      }
      throw err;
    }
    const launch = (event.data.launch ?? campaign.launch ?? {}) as Record<string, unknown>;
    const run: CampaignRun = {
      campaignId,
      tenantId: event.tenantId,
      workspaceId: event.workspaceId,
      status: 'active',
      campaignType: campaign.type,
      testMode: launch.testMode === true,
      targetPercentage: Number(launch.targetPercentage ?? 100),
      snapshot: {
        ...snapshotOf(campaign, String(launch.priority ?? 'normal')),
        executionId: typeof launch.executionId === 'string' ? launch.executionId : null,
      },
    };
    await this.runs.upsert(run, ctx.requestId);
    if (campaign.status !== 'active') await this.runs.setStatus(campaignId, campaign.status);
    this.cache.set(campaignId, campaign.status === 'active' ? 'active' : campaign.status);
    if (campaign.type === 'triggered') {
      await this.runs.markEnrolled(campaignId);
    } else {
      await addEnrollJob(this.queues, { campaignId, ctx });
    }
    this.logger.log({
      msg: 'run started',
      campaignId,
      type: campaign.type,
      testMode: run.testMode,
      steps: run.snapshot.steps.length,
    });
  }
}
