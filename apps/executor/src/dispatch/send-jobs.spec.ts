import { sendBatchJobId, sendBatching } from './send-jobs';

describe('sendBatching', () => {
  const env = { SEND_BATCH_SIZE: 50, SEND_RATE_PER_SECOND: 0, SEND_CONCURRENCY: 256 };

  it('without a rate limit: full batches, about SEND_CONCURRENCY messages in flight', () => {
    expect(sendBatching(env)).toEqual({ batchSize: 50, jobsPerSecond: null, workerConcurrency: 6 });
  });

  it('with a rate limit the message rate never passes it', () => {
    for (const rate of [1, 7, 20, 25, 60, 99, 333, 1000, 100000]) {
      const b = sendBatching({ ...env, SEND_RATE_PER_SECOND: rate });
      const perSecond = b.batchSize * (b.jobsPerSecond ?? 0);
      expect(perSecond).toBeLessThanOrEqual(rate);
      expect(perSecond).toBeGreaterThan(rate - b.batchSize);
      expect(b.batchSize).toBeLessThanOrEqual(50);
    }
    expect(sendBatching({ ...env, SEND_RATE_PER_SECOND: 60 })).toMatchObject({
      batchSize: 6,
      jobsPerSecond: 10,
    });
    expect(sendBatching({ ...env, SEND_RATE_PER_SECOND: 5 })).toMatchObject({
      batchSize: 1,
      jobsPerSecond: 5,
    });
  });

  it('never puts more steps in one batch than SEND_CONCURRENCY (a batch sends them all at once)', () => {
    expect(sendBatching({ ...env, SEND_BATCH_SIZE: 200, SEND_CONCURRENCY: 64 })).toEqual({
      batchSize: 64,
      jobsPerSecond: null,
      workerConcurrency: 1,
    });
    expect(
      sendBatching({
        ...env,
        SEND_BATCH_SIZE: 200,
        SEND_CONCURRENCY: 64,
        SEND_RATE_PER_SECOND: 5000,
      }),
    ).toMatchObject({ batchSize: 64, jobsPerSecond: 78 });
  });

  it('a batch size of 1 is one job per message', () => {
    expect(sendBatching({ ...env, SEND_BATCH_SIZE: 1, SEND_CONCURRENCY: 64 })).toEqual({
      batchSize: 1,
      jobsPerSecond: null,
      workerConcurrency: 64,
    });
  });
});

describe('sendBatchJobId', () => {
  it('is the same for the same leased rows and differs otherwise', () => {
    const a: [string, number][] = [
      ['e1', 0],
      ['e2', 0],
    ];
    expect(sendBatchJobId(a)).toBe(sendBatchJobId([...a]));
    expect(sendBatchJobId(a)).not.toBe(sendBatchJobId([['e1', 0]]));
    expect(sendBatchJobId(a)).not.toBe(
      sendBatchJobId([
        ['e1', 1],
        ['e2', 1],
      ]),
    );
  });
});
