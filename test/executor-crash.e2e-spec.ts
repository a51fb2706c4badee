import { QUEUES } from '@app/contracts';
import {
  createTenant,
  stopProcess,
  TEST_REDIS_DB,
  TestTenant,
  testEnv,
  testSql,
} from '@app/testing';
import { Queue } from 'bullmq';
import { execFileSync } from 'node:child_process';
import { SEND_BATCH_JOB, SEND_JOB } from '../apps/executor/src/dispatch/send-jobs';
import {
  deliveredTotal,
  ExecutorProcess,
  launchBroadcast,
  mailFor,
  REAL_LEADS,
  recipients,
  restoreExecutor,
  startExecutor,
  takeOverExecutor,
  waitUntil,
} from './executor-harness';

jest.setTimeout(120000);

/**
 * kill -9 of the executor in the middle of a campaign, then a restart: no contact gets the step
 * twice, and every contact is accounted for (sent, or `uncertain` when the process died between
 * claiming and recording the send). Short claim timeout and job lock so recovery takes seconds.
 */
const ENV = { SEND_RATE_PER_SECOND: '60', CLAIM_TIMEOUT_MS: '3000', JOB_LOCK_MS: '3000' };

describe('executor: crash in mid-campaign', () => {
  let t: TestTenant;
  let executor: ExecutorProcess;

  beforeAll(async () => {
    await takeOverExecutor();
    executor = await startExecutor(0, { ...REAL_LEADS, ...ENV });
    t = await createTenant('exec-crash');
  });

  afterAll(async () => {
    await stopProcess(executor.child);
    await restoreExecutor();
  });

  /** The stack's send queue, as the executor under test sees it (close it after use). */
  const sendQueue = () =>
    new Queue(QUEUES.send, {
      connection: { host: '127.0.0.1', port: 6379, db: TEST_REDIS_DB },
      prefix: testEnv().QUEUE_PREFIX,
    });

  /** The campaign completes within a minute and every recipient got its step exactly once. */
  async function expectCompletedOnce(id: string, emails: string[], after: string): Promise<void> {
    await waitUntil(
      `completion after ${after}`,
      async () => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status,
      (s) => s === 'completed',
      60000,
    );
    const mail = await mailFor(emails);
    expect(emails.filter((e) => mail.get(e)!.length !== 1)).toEqual([]);
  }

  it('kill -9 then restart: 0 duplicates, 0 losses', async () => {
    const emails = recipients('crash', 300);
    const id = await launchBroadcast(t, emails, {
      name: 'Crash',
      subject: 'Once',
      bodyText: 'only once',
    });

    const count = () => deliveredTotal(emails);
    await waitUntil('some sends', count, (n) => n >= 60);
    await stopProcess(executor.child, 'SIGKILL');
    const atKill = await count();
    expect(atKill).toBeLessThan(300);
    executor = await startExecutor(0, { ...REAL_LEADS, ...ENV });

    const status = await waitUntil(
      'completion after restart',
      async () => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status,
      (s) => s === 'completed',
      90000,
    );
    expect(status).toBe('completed');
    const mail = await mailFor(emails);
    const counts = emails.map((e) => mail.get(e)!.length);
    expect(counts.filter((n) => n > 1)).toEqual([]);
    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data.progress;
    const missing = counts.filter((n) => n === 0).length;
    expect(progress.successful + progress.uncertain).toBe(300);
    expect(progress.processed).toBe(300);
    // A contact without mail must be one whose send is recorded as uncertain, never a silent loss.
    expect(missing).toBeLessThanOrEqual(progress.uncertain);
    process.stdout.write(
      `crash: ${atKill} delivered at kill, ${progress.successful} sent, ${progress.uncertain} uncertain, ${missing} without mail\n`,
    );
  });

  it('Redis loses its data mid-campaign: the lost steps are sent at once, each exactly once', async () => {
    // The dispatch lease stays at 5 minutes: only noticing the loss can finish this in time.
    await stopProcess(executor.child);
    executor = await startExecutor(0, { ...REAL_LEADS, ...ENV, DISPATCH_LEASE_MS: '300000' });
    const emails = recipients('redis-loss', 200);
    const id = await launchBroadcast(t, emails, {
      name: 'Redis loss',
      subject: 'Once',
      bodyText: '1',
    });
    const count = () => deliveredTotal(emails);
    await waitUntil('some sends', count, (n) => n >= 40);
    // This suite's Redis database only: every queue, job and limiter key of the stack is gone.
    execFileSync('redis-cli', ['-n', String(TEST_REDIS_DB), 'flushdb']);
    const atLoss = await count();
    expect(atLoss).toBeLessThan(200);
    await expectCompletedOnce(id, emails, 'the loss');
    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data.progress;
    expect(progress.successful).toBe(200);
  });

  it('jobs lost without Redis losing its data: the rows are taken again when the chain of takes runs out', async () => {
    // Slow sends (batches of 2, 10 jobs a second) keep jobs waiting; a 1 s chain of takes.
    await stopProcess(executor.child);
    executor = await startExecutor(0, {
      ...REAL_LEADS,
      ...ENV,
      SEND_RATE_PER_SECOND: '20',
      DISPATCH_LEASE_MS: '1000',
    });
    const emails = recipients('lost-jobs', 60);
    const id = await launchBroadcast(t, emails, {
      name: 'Lost jobs',
      subject: 'Once',
      bodyText: '1',
    });
    const count = () => deliveredTotal(emails);
    await waitUntil('some sends', count, (n) => n >= 6);
    // The waiting jobs go (Redis keeps its mark: no loss is noticed); their rows are behind the
    // campaign's dispatch mark, still due.
    const queue = sendQueue();
    const waiting = await queue.getJobCountByTypes('waiting', 'prioritized');
    await queue.drain();
    await queue.close();
    expect(waiting).toBeGreaterThan(0);
    expect(await count()).toBeLessThan(60);
    await expectCompletedOnce(id, emails, 'the jobs were lost');
  });

  it('a claim its process never settled is recorded as uncertain once its timeout has passed', async () => {
    const emails = recipients('orphan', 5);
    const id = await launchBroadcast(t, emails, { name: 'Orphan', subject: 'S', bodyText: 'b' });
    await waitUntil(
      'completion',
      async () => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status,
      (s) => s === 'completed',
    );
    // What a process killed between its claim and the channel call leaves behind: a row still
    // `claimed`, made now (claimed_at is its transaction's start).
    const orphan = testSql(
      `INSERT INTO executor.deliveries (tenant_id, workspace_id, campaign_id, enrollment_id, step_id,
                                        step_index, channel, recipient)
       SELECT tenant_id, workspace_id, campaign_id, enrollment_id, gen_random_uuid(), step_index,
              channel, recipient
         FROM executor.deliveries WHERE campaign_id = '${id}' LIMIT 1
       RETURNING id`,
    );
    const row = await waitUntil(
      'the orphan marked uncertain',
      async () =>
        testSql(
          `SELECT status || ' ' || code || ' ' || (finished_at - claimed_at >= interval '3 seconds')
             FROM executor.deliveries WHERE id = '${orphan}'`,
        ),
      (r) => r.startsWith('uncertain'),
      30000,
    );
    // Not before CLAIM_TIMEOUT_MS (3 s here): a claim in flight is left to its process.
    expect(row).toBe('uncertain PROCESS_LOST true');
    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data.progress;
    expect(progress).toMatchObject({ successful: 5, uncertain: 1 });
    // The sweep's horizon has moved past it: later sweeps do not read it again.
    expect(
      testSql(
        `SELECT s.at > d.claimed_at FROM executor.sweep_state s, executor.deliveries d
          WHERE s.name = 'claims' AND d.id = '${orphan}'`,
      ),
    ).toBe('t');
  });

  it('a job for a step already sent sends nothing again, and is counted as a no-op step', async () => {
    const emails = recipients('replayed', 4);
    const id = await launchBroadcast(t, emails, { name: 'Replayed', subject: 'S', bodyText: 'b' });
    await expectCompletedOnce(id, emails, 'the launch');
    const noop = (reason: string) =>
      fetch(`http://127.0.0.1:${executor.healthPort}/metrics`)
        .then((r) => r.text())
        .then((text) =>
          Number(
            text.match(
              new RegExp(`^executor_noop_steps_total\\{reason="${reason}"\\} (\\d+)`, 'm'),
            )?.[1],
          ),
        );
    const before = await noop('stale');
    expect(before).toBeGreaterThanOrEqual(0);
    // What a retried or re-dispatched job looks like: the same steps handed out once more, one
    // as a single-step job, the rest as a batch.
    const [first, ...rest] = testSql(
      `SELECT string_agg(id::text, ',' ORDER BY id) FROM executor.enrollments WHERE campaign_id = '${id}'`,
    ).split(',');
    const queue = sendQueue();
    await queue.add(
      SEND_JOB,
      { enrollmentId: first, campaignId: id, stepIndex: 0 },
      { jobId: `replay-${first}` },
    );
    await queue.add(
      SEND_BATCH_JOB,
      { campaignId: id, items: rest.map((e) => [e, 0]) },
      { jobId: `replay-${rest[0]}` },
    );
    await queue.close();
    await waitUntil(
      'the replayed steps counted',
      () => noop('stale'),
      (n) => n >= before + 4,
    );
    expect(await noop('stale')).toBe(before + 4);
    const mail = await mailFor(emails);
    expect(emails.filter((e) => mail.get(e)!.length !== 1)).toEqual([]);
  });
});
