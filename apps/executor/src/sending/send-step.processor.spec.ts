import { Job } from 'bullmq';
import { ExecutorEnv } from '../config';
import { SEND_BATCH_JOB, SEND_JOB } from '../dispatch/send-jobs';
import { Metrics } from '../metrics/metrics';
import { Queues } from '../queues/queues';
import { SendStepProcessor } from './send-step.processor';
import { SendResult, SendStepUseCase } from './send-step.use-case';

describe('SendStepProcessor', () => {
  const env = {
    SEND_BATCH_SIZE: 50,
    SEND_RATE_PER_SECOND: 0,
    SEND_CONCURRENCY: 100,
    SEND_ATTEMPTS: 1,
  };

  /** A processor whose use case answers each enrollment id with the result named in it. */
  function processor(metrics: Metrics) {
    let handler!: (job: Job) => Promise<unknown>;
    const queues = {
      work: (_name: string, fn: typeof handler) => (handler = fn),
    } as unknown as Queues;
    const send = {
      execute: async ({ enrollmentId }: { enrollmentId: string }) => enrollmentId as SendResult,
    } as unknown as SendStepUseCase;
    new SendStepProcessor(queues, send, metrics, env as ExecutorEnv).onApplicationBootstrap();
    return (name: string, data: unknown) =>
      handler({ name, data, attemptsMade: 0, opts: {} } as Job);
  }

  async function noop(metrics: Metrics): Promise<Record<string, number>> {
    const { values } = await metrics.noopSteps.get();
    return Object.fromEntries(values.map((v) => [v.labels.reason as string, v.value]));
  }

  it('counts the steps that found nothing to do, by reason, from a batch and from a single job', async () => {
    const metrics = new Metrics();
    const run = processor(metrics);
    expect(await noop(metrics)).toEqual({ stale: 0, claimed: 0 });
    const items = ['settled', 'stale', 'exists', 'stale', 'postponed', 'paused', 'skipped'];
    await run(SEND_BATCH_JOB, { campaignId: 'c', items: items.map((e) => [e, 0]) });
    expect(await noop(metrics)).toEqual({ stale: 2, claimed: 1 });
    await run(SEND_JOB, { enrollmentId: 'exists', campaignId: 'c', stepIndex: 0 });
    await run(SEND_JOB, { enrollmentId: 'settled', campaignId: 'c', stepIndex: 0 });
    expect(await noop(metrics)).toEqual({ stale: 2, claimed: 2 });
  });
});
