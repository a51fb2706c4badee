import { RequestContext } from '@app/common';
import { QUEUES } from '@app/contracts';
import { Queues } from '../queues/queues';

export interface EnrollJob {
  campaignId: string;
  ctx: RequestContext;
}

/**
 * Queues a run's enrollment. The job id is the campaign's, so adding it again while it waits,
 * runs or has failed for good is a no-op: the launch and the restart recovery can both add it.
 */
export async function addEnrollJob(queues: Queues, job: EnrollJob): Promise<void> {
  await queues.get(QUEUES.enroll).add('enroll', job, {
    jobId: `enroll-${job.campaignId}`,
    attempts: 20,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: true,
    removeOnFail: 100,
  });
}
