import { createTenant, stopProcess, testSql, TestTenant } from '@app/testing';
import {
  contact,
  ExecutorProcess,
  mailFor,
  metricSum,
  recipients,
  REAL_LEADS,
  restoreExecutor,
  seedSegment,
  sleep,
  startExecutor,
  takeOverExecutor,
  waitUntil,
} from './executor-harness';
import { AudienceContact } from '@app/contracts';

jest.setTimeout(90000);

/** Emails per contact per rolling 24 h across a workspace's campaigns, in every replica. */
const FREQUENCY_CAP = 2;

describe('executor: daily limit and frequency cap across 3 replicas, send windows', () => {
  let t: TestTenant;
  const executors: ExecutorProcess[] = [];

  beforeAll(async () => {
    await takeOverExecutor();
    // Each replica is kept as it comes up, so afterAll stops every one even if another fails.
    // Batches of 2 steps, so 40 contacts are 20 jobs the three replicas race for (one default
    // batch of 50 would be a single job for a single replica).
    await Promise.all(
      [0, 1, 2].map(async (i) =>
        executors.push(
          await startExecutor(i, {
            ...REAL_LEADS,
            FREQUENCY_CAP_PER_DAY: String(FREQUENCY_CAP),
            SEND_BATCH_SIZE: '2',
          }),
        ),
      ),
    );
    t = await createTenant('exec-limits');
  });

  afterAll(async () => {
    await Promise.all(executors.map((e) => stopProcess(e.child)));
    await restoreExecutor();
  });

  async function launch(
    contacts: AudienceContact[],
    settings: Record<string, unknown>,
    tenant: TestTenant = t,
  ) {
    return launchSegment(await seedSegment(tenant, contacts), settings, tenant);
  }

  async function launchSegment(
    segment: string,
    settings: Record<string, unknown>,
    tenant: TestTenant = t,
  ) {
    const created = await tenant.api.post('/api/v1/campaigns', {
      name: 'Limited',
      type: 'broadcast',
      fromEmail: 'news@acme.example',
      targetAudience: { segments: [segment] },
      settings: { trackOpens: false, trackClicks: false, ...settings },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    await tenant.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'email',
      subject: 'Limited',
      bodyText: 'x',
    });
    expect((await tenant.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    return id;
  }

  it('dailyLimit is exact with 3 executor processes sending', async () => {
    const emails = recipients('daily', 40);
    const id = await launch(
      emails.map((e) => contact(e)),
      { dailyLimit: 7 },
    );
    const sent = async () => [...(await mailFor(emails)).values()].filter((l) => l.length).length;
    await waitUntil('the day’s quota', sent, (n) => n >= 7);
    await sleep(3000);
    expect(await sent()).toBe(7);
    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;
    expect(progress.progress.successful).toBe(7);
    expect(progress.enrollments.active).toBe(33);
    expect(progress.status).toBe('active');
    // The replicas really shared the work: at least two of them sent or were held back by the
    // quota (from /metrics); a replica can miss all 40 jobs when it starts pulling late.
    const metric = (e: ExecutorProcess, name: string) => metricSum(e.healthPort, name);
    const delivered = await Promise.all(executors.map((e) => metric(e, 'executor_sends_total')));
    const held = await Promise.all(executors.map((e) => metric(e, 'executor_limiter_waits_total')));
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(7);
    expect(delivered.filter((d, i) => d + held[i] > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('sends only inside the window, in each contact’s time zone', async () => {
    const now = new Date();
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    // Open from an hour ago to an hour from now, UTC wall clock; Kathmandu (UTC+05:45) is outside.
    const window = {
      start: hhmm(new Date(now.getTime() - 3600000)),
      end: hhmm(new Date(now.getTime() + 3600000)),
      fallbackTimezone: 'Asia/Kathmandu',
    };
    const [inUtc, inKathmandu, noZone] = recipients('window', 3);
    const id = await launch(
      [
        contact(inUtc, { timezone: 'UTC' }),
        contact(inKathmandu, { timezone: 'Asia/Kathmandu' }),
        contact(noZone),
      ],
      { sendWindow: window },
    );
    await waitUntil(
      'the open window',
      () => mailFor([inUtc]),
      (m) => m.get(inUtc)!.length === 1,
    );
    await sleep(2500);
    const mail = await mailFor([inUtc, inKathmandu, noZone]);
    expect(mail.get(inUtc)).toHaveLength(1);
    expect(mail.get(inKathmandu)).toHaveLength(0);
    expect(mail.get(noZone)).toHaveLength(0);
    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;
    expect(progress.enrollments).toMatchObject({ active: 2, completed: 1 });
  });

  it('frequency cap: three campaigns of one workspace at once, 3 replicas: each contact gets exactly the cap, the rest waits (not lost)', async () => {
    const capped = await createTenant('exec-cap');
    const emails = recipients('cap', 12);
    const segment = await seedSegment(
      capped,
      emails.map((e) => contact(e)),
    );
    const ids = await Promise.all([0, 1, 2].map(() => launchSegment(segment, {}, capped)));
    const total = async () => [...(await mailFor(emails)).values()].flat().length;
    await waitUntil('the capped mail', total, (n) => n >= emails.length * FREQUENCY_CAP, 30000);
    await sleep(3000);
    const mail = await mailFor(emails);
    for (const e of emails) expect(mail.get(e)).toHaveLength(FREQUENCY_CAP);
    const progress = await Promise.all(
      ids.map(async (id) => (await capped.api.get(`/api/v1/campaigns/${id}/progress`)).body.data),
    );
    const sum = (f: (p: any) => number) => progress.reduce((n, p) => n + f(p), 0);
    expect(sum((p) => p.progress.successful)).toBe(emails.length * FREQUENCY_CAP);
    // The third email of each contact is postponed, not dropped: still an active enrollment,
    // due when the contact's oldest send of the day is 24 h old.
    expect(sum((p) => p.enrollments.active ?? 0)).toBe(emails.length);
    expect(sum((p) => p.progress.failed + p.progress.skipped)).toBe(0);
    const due = psql(
      `SELECT extract(epoch FROM min(next_run_at) - now())::int FROM executor.enrollments
        WHERE campaign_id IN ('${ids.join("','")}') AND status = 'active'`,
    );
    expect(Number(due)).toBeGreaterThan(23 * 3600);
    expect(Number(due)).toBeLessThanOrEqual(24 * 3600);
  });

  it('dailyLimit counts days in the campaign’s schedule.timezone and waits for its midnight', async () => {
    // A zone whose date differs from UTC's right now (UTC-12 in the UTC morning, UTC+14 after).
    const morning = new Date().getUTCHours() < 12;
    const zone = morning ? 'Etc/GMT+12' : 'Pacific/Kiritimati';
    const offsetH = morning ? -12 : 14;
    const local = new Date(Date.now() + offsetH * 3600_000);
    const localDay = local.toISOString().slice(0, 10);
    expect(localDay).not.toBe(new Date().toISOString().slice(0, 10));
    const emails = recipients('daily-tz', 5);
    const segment = await seedSegment(
      t,
      emails.map((e) => contact(e)),
    );
    const created = await t.api.post('/api/v1/campaigns', {
      name: 'Zoned limit',
      type: 'broadcast',
      fromEmail: 'news@acme.example',
      targetAudience: { segments: [segment] },
      schedule: { timezone: zone },
      settings: { trackOpens: false, trackClicks: false, dailyLimit: 2 },
    });
    const id = created.body.data.id as string;
    await t.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'email',
      subject: 'Z',
      bodyText: 'z',
    });
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    const sent = async () => [...(await mailFor(emails)).values()].filter((l) => l.length).length;
    await waitUntil('the zoned quota', sent, (n) => n >= 2);
    await sleep(2500);
    expect(await sent()).toBe(2);
    expect(
      psql(`SELECT day || ' ' || sent FROM executor.daily_counters WHERE campaign_id = '${id}'`),
    ).toBe(`${localDay} 2`);
    // The rest waits for the next local midnight: 00:00 of the next day in that zone.
    const midnight =
      Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1) -
      offsetH * 3600_000;
    const due = psql(
      `SELECT DISTINCT (extract(epoch FROM next_run_at) * 1000)::bigint FROM executor.enrollments
        WHERE campaign_id = '${id}' AND status = 'active'`,
    );
    expect(due.split('\n').map(Number)).toEqual([midnight]);
  });

  it('frequency cap per workspace: PUT /sending-limits overrides the default for that workspace only', async () => {
    const w = await createTenant('exec-cap-ws');
    const limits = async (tenant: TestTenant) =>
      (await tenant.api.get('/api/v1/sending-limits')).body.data;
    expect(await limits(w)).toEqual({
      frequencyCapPerDay: null,
      defaultFrequencyCapPerDay: FREQUENCY_CAP,
      effectiveFrequencyCapPerDay: FREQUENCY_CAP,
    });
    for (const bad of [
      { frequencyCapPerDay: -1 },
      { frequencyCapPerDay: 1001 },
      { frequencyCapPerDay: 1.5 },
      { frequencyCapPerDay: 'x' },
      {},
    ]) {
      const res = await w.api.put('/api/v1/sending-limits', bad);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.error.details)).toContain('frequencyCapPerDay');
    }
    expect((await limits(w)).frequencyCapPerDay).toBeNull();
    const set = await w.api.put('/api/v1/sending-limits', { frequencyCapPerDay: 1 });
    expect(set.status).toBe(200);
    expect(set.body.data.effectiveFrequencyCapPerDay).toBe(1);
    expect((await limits(t)).effectiveFrequencyCapPerDay).toBe(FREQUENCY_CAP);

    const emails = recipients('cap-ws', 6);
    const segment = await seedSegment(
      w,
      emails.map((e) => contact(e)),
    );
    const ids = await Promise.all([0, 1].map(() => launchSegment(segment, {}, w)));
    const total = async () => [...(await mailFor(emails)).values()].flat().length;
    await waitUntil('one mail each', total, (n) => n >= emails.length, 30000);
    await sleep(3000);
    const mail = await mailFor(emails);
    for (const e of emails) expect(mail.get(e)).toHaveLength(1);
    const active = await Promise.all(
      ids.map(
        async (id) =>
          (await w.api.get(`/api/v1/campaigns/${id}/progress`)).body.data.enrollments.active ?? 0,
      ),
    );
    expect(active.reduce((a, b) => a + b, 0)).toBe(emails.length);
    const reset = await w.api.put('/api/v1/sending-limits', { frequencyCapPerDay: null });
    expect(reset.body.data).toMatchObject({
      frequencyCapPerDay: null,
      effectiveFrequencyCapPerDay: FREQUENCY_CAP,
    });
  });
});

const psql = testSql;
