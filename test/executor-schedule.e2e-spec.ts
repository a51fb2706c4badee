import { createTenant, INSTANCE, stopProcess, TEST_REDIS_DB, TestTenant } from '@app/testing';
import Redis from 'ioredis';
import {
  broadcastDraft,
  ExecutorProcess,
  mailFor,
  REAL_LEADS,
  recipients,
  restoreExecutor,
  sleep,
  startExecutor,
  takeOverExecutor,
  waitUntil,
} from './executor-harness';

jest.setTimeout(90000);

const GRACE = { SCHEDULE_GRACE_MS: '1500' };

describe('executor: scheduled launches', () => {
  let t: TestTenant;
  let executor: ExecutorProcess;

  beforeAll(async () => {
    await takeOverExecutor();
    executor = await startExecutor(0, { ...REAL_LEADS, ...GRACE });
    t = await createTenant('exec-sched');
  });

  afterAll(async () => {
    await stopProcess(executor.child);
    await restoreExecutor();
  });

  async function schedule(emails: string[], inMs: number) {
    const id = await broadcastDraft(t, emails, {
      name: 'Scheduled',
      subject: 'On time',
      bodyText: 'x',
    });
    const at = new Date(Date.now() + inMs);
    const res = await t.api.post(`/api/v1/campaigns/${id}/launch`, {
      scheduledAt: at.toISOString(),
    });
    expect(res.body.data.to).toBe('scheduled');
    return { id, at };
  }

  const status = async (id: string) => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data;

  it('fires at scheduledAt, not before', async () => {
    const emails = recipients('sched', 2);
    const { id, at } = await schedule(emails, 3000);
    const mail = await waitUntil(
      'scheduled mail',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length === 1),
      20000,
    );
    for (const [, list] of mail)
      expect(Date.parse(list[0].receivedAt)).toBeGreaterThanOrEqual(at.getTime());
    expect(['active', 'completed']).toContain((await status(id)).status);
  });

  it('survives an executor restart with its delayed job lost from Redis', async () => {
    const emails = recipients('sched-restart', 2);
    const { at } = await schedule(emails, 9000);
    await sleep(1500);
    await stopProcess(executor.child, 'SIGKILL');
    const redis = new Redis(`redis://127.0.0.1:6379/${TEST_REDIS_DB}`);
    const keys = await redis.keys(`{cptest${INSTANCE}}:schedule:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    executor = await startExecutor(0, { ...REAL_LEADS, ...GRACE });
    const mail = await waitUntil(
      'mail after restart',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length === 1),
      20000,
    );
    for (const [, list] of mail)
      expect(Date.parse(list[0].receivedAt)).toBeGreaterThanOrEqual(at.getTime());
  });

  it('a launch missed by more than the grace is not sent late: schedule_missed, then a user decides', async () => {
    const emails = recipients('sched-missed', 2);
    const { id } = await schedule(emails, 2000);
    await sleep(1000);
    await stopProcess(executor.child, 'SIGKILL');
    await sleep(4000);
    executor = await startExecutor(0, { ...REAL_LEADS, ...GRACE });
    const missed = await waitUntil(
      'missed',
      () => status(id),
      (c) => c.status === 'schedule_missed',
      20000,
    );
    expect(missed.statusReason).toMatch(/late/);
    await sleep(1500);
    expect([...(await mailFor(emails)).values()].flat()).toHaveLength(0);

    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).body.data.to).toBe('active');
    await waitUntil(
      'mail after relaunch',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length === 1),
      20000,
    );
  });

  it('schedule.startDate: a launch without its own time fires at the start date', async () => {
    const emails = recipients('sched-start', 2);
    const id = await broadcastDraft(t, emails, {
      name: 'Starts',
      subject: 'At start',
      bodyText: 'x',
    });
    const start = new Date(Date.now() + 3000);
    await t.api.patch(`/api/v1/campaigns/${id}`, { schedule: { startDate: start.toISOString() } });
    const res = await t.api.post(`/api/v1/campaigns/${id}/launch`, {});
    expect(res.body.data.to).toBe('scheduled');
    const mail = await waitUntil(
      'mail at the start date',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length === 1),
      20000,
    );
    for (const [, list] of mail)
      expect(Date.parse(list[0].receivedAt)).toBeGreaterThanOrEqual(start.getTime());
  });

  it('schedule.endDate ends a campaign mid-sequence: completed with the reason, every sequence stopped, no later step sent', async () => {
    const emails = recipients('sched-end', 2);
    const id = await broadcastDraft(t, emails, { name: 'Ends', subject: 'First', bodyText: 'x' });
    await t.api.patch(`/api/v1/campaigns/${id}`, { type: 'drip' });
    for (const step of [
      { type: 'wait', delay: { amount: 1, unit: 'days' } },
      { type: 'email', subject: 'Second', bodyText: 'y' },
    ])
      expect((await t.api.post(`/api/v1/campaigns/${id}/steps`, step)).status).toBe(201);
    const end = new Date(Date.now() + 5000);
    await t.api.patch(`/api/v1/campaigns/${id}`, { schedule: { endDate: end.toISOString() } });
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).body.data.to).toBe('active');
    await waitUntil(
      'first emails',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length === 1),
      20000,
    );
    const ended = await waitUntil(
      'the end',
      () => status(id),
      (c) => c.status === 'completed',
      20000,
    );
    expect(Date.parse(ended.completedAt)).toBeGreaterThanOrEqual(end.getTime());
    expect(ended.statusReason).toBe(`schedule.endDate ${end.toISOString()} reached`);
    const progress = await waitUntil(
      'sequences stopped',
      async () => (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data,
      (p) => p.enrollments.stopped === 2,
      20000,
    );
    expect(progress.enrollments.active ?? 0).toBe(0);
    for (const [, list] of await mailFor(emails))
      expect(list.map((m: { subject: string }) => m.subject)).toEqual(['First']);
    // Completed is final: it cannot be launched or resumed again.
    expect((await t.api.post(`/api/v1/campaigns/${id}/resume`, {})).status).toBe(409);
  });
});
