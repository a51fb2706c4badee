import { createTenant, stopProcess, TestTenant } from '@app/testing';
import {
  deliveredTotal,
  ExecutorProcess,
  launchBroadcast,
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

/** Sending is slowed to 20/s (the account's BullMQ limiter) so there is time to interrupt it. */
describe('executor: pause, resume, cancel', () => {
  let t: TestTenant;
  let executor: ExecutorProcess;

  beforeAll(async () => {
    await takeOverExecutor();
    executor = await startExecutor(0, { ...REAL_LEADS, SEND_RATE_PER_SECOND: '20' });
    t = await createTenant('exec-life');
  });

  afterAll(async () => {
    await stopProcess(executor.child);
    await restoreExecutor();
  });

  const launch = (emails: string[]) =>
    launchBroadcast(t, emails, { name: 'Interrupted', subject: 'News', bodyText: 'hi' });

  const received = async (emails: string[]) =>
    [...(await mailFor(emails)).values()].flat() as { receivedAt: string; to: string[] }[];

  it('pause: no send starts later than 1 s after the response; resume sends the rest exactly once', async () => {
    const emails = recipients('pause', 80);
    const id = await launch(emails);
    await waitUntil(
      'first sends',
      () => deliveredTotal(emails),
      (n) => n >= 10,
    );
    const paused = await t.api.post(`/api/v1/campaigns/${id}/pause`);
    expect(paused.status).toBe(200);
    const pausedAt = Date.now();
    await sleep(3000);
    const before = await received(emails);
    const late = before.filter((m) => Date.parse(m.receivedAt) > pausedAt + 1000);
    expect(late).toEqual([]);
    expect(before.length).toBeLessThan(80);
    const lastBefore = Math.max(...before.map((m) => Date.parse(m.receivedAt)));
    process.stdout.write(
      `pause latency: last send ${lastBefore - pausedAt} ms after the pause response\n`,
    );
    await sleep(1000);
    expect(await received(emails)).toHaveLength(before.length);
    expect((await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data.status).toBe('paused');

    expect((await t.api.post(`/api/v1/campaigns/${id}/resume`)).status).toBe(200);
    await waitUntil(
      'the rest',
      () => deliveredTotal(emails),
      (n) => n >= 80,
      30000,
    );
    await sleep(1000);
    const all = await mailFor(emails);
    for (const email of emails) expect(all.get(email)).toHaveLength(1);
    await waitUntil(
      'completed',
      async () => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status,
      (s) => s === 'completed',
      15000,
    );
  });

  it('cancel: sending stops and every enrollment ends', async () => {
    const emails = recipients('cancel', 80);
    const id = await launch(emails);
    await waitUntil(
      'first sends',
      () => deliveredTotal(emails),
      (n) => n >= 5,
    );
    expect((await t.api.post(`/api/v1/campaigns/${id}/cancel`)).status).toBe(200);
    const cancelledAt = Date.now();
    await sleep(2500);
    const sent = await received(emails);
    expect(sent.filter((m) => Date.parse(m.receivedAt) > cancelledAt + 1000)).toEqual([]);
    expect(sent.length).toBeLessThan(80);
    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;
    expect(progress.status).toBe('cancelled');
    expect(progress.enrollments.active ?? 0).toBe(0);
    expect(progress.enrollments.cancelled).toBe(80 - progress.progress.successful);
    await sleep(1500);
    expect(await received(emails)).toHaveLength(sent.length);
  });
});
