import { createTenant, stopProcess, TestTenant } from '@app/testing';
import {
  contact,
  ExecutorProcess,
  mailFor,
  REAL_LEADS,
  recipients,
  restoreExecutor,
  seedSegment,
  sleep,
  startExecutor,
  suppress,
  takeOverExecutor,
  waitUntil,
} from './executor-harness';

/** One "minute" of a wait step lasts 1 s here (EXECUTOR_MINUTE_MS), so drips run in seconds. */
const MINUTE_MS = 1000;

jest.setTimeout(60000);

describe('executor: drip, A/B and triggered sequences', () => {
  let t: TestTenant;
  let executor: ExecutorProcess;

  beforeAll(async () => {
    await takeOverExecutor();
    executor = await startExecutor(0, { ...REAL_LEADS, EXECUTOR_MINUTE_MS: String(MINUTE_MS) });
    t = await createTenant('exec-seq');
  });

  afterAll(async () => {
    await stopProcess(executor.child);
    await restoreExecutor();
  });

  async function campaign(body: Record<string, unknown>, steps: Record<string, unknown>[]) {
    const created = await t.api.post('/api/v1/campaigns', {
      name: 'Sequence',
      fromEmail: 'hello@acme.example',
      settings: { trackOpens: false, trackClicks: false },
      ...body,
    });
    expect(created.status).toBe(201);
    for (const step of steps)
      expect(
        (await t.api.post(`/api/v1/campaigns/${created.body.data.id}/steps`, step)).status,
      ).toBe(201);
    return created.body.data.id as string;
  }

  it('drip: step 1 now, step 2 only after the wait, each exactly once, in order', async () => {
    const emails = recipients('drip', 4);
    const segment = await seedSegment(
      t,
      emails.map((e) => contact(e, { firstName: 'Dee' })),
    );
    const id = await campaign({ type: 'drip', targetAudience: { segments: [segment] } }, [
      { type: 'email', subject: 'Welcome {{firstName}}', bodyText: 'one' },
      { type: 'wait', delay: { amount: 4, unit: 'minutes' } },
      { type: 'email', subject: 'Follow-up {{firstName}}', bodyText: 'two' },
    ]);
    const launchedAt = Date.now();
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    await waitUntil(
      'step 1',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length === 1),
    );
    const firstWave = await mailFor(emails);
    for (const list of firstWave.values()) expect(list[0].subject).toBe('Welcome Dee');
    const all = await waitUntil(
      'step 2',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length === 2),
      20000,
    );
    for (const list of all.values()) {
      expect(list.map((m) => m.subject)).toEqual(['Welcome Dee', 'Follow-up Dee']);
      const gap = Date.parse(list[1].receivedAt) - Date.parse(list[0].receivedAt);
      expect(gap).toBeGreaterThanOrEqual(4 * MINUTE_MS - 300);
      expect(Date.parse(list[1].receivedAt) - launchedAt).toBeGreaterThanOrEqual(4 * MINUTE_MS);
    }
    await waitUntil(
      'completed',
      async () => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status,
      (s) => s === 'completed',
      15000,
    );
    expect([...(await mailFor(emails)).values()].every((l) => l.length === 2)).toBe(true);
  });

  it('A/B: each contact gets one variant, chosen by weight, with that variant’s content', async () => {
    const emails = recipients('abtest', 40);
    const segment = await seedSegment(
      t,
      emails.map((e) => contact(e)),
    );
    const id = await campaign({ type: 'ab_test', targetAudience: { segments: [segment] } }, [
      {
        type: 'email',
        subject: 'unused',
        bodyText: 'unused',
        variants: [
          { name: 'A', weight: 50, subject: 'Variant A', bodyText: 'aaa' },
          { name: 'B', weight: 50, subject: 'Variant B', bodyText: 'bbb' },
          { name: 'C', weight: 0, subject: 'Variant C', bodyText: 'ccc' },
        ],
      },
    ]);
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    const mail = await waitUntil(
      'all',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length >= 1),
    );
    await sleep(1000);
    const subjects = [...(await mailFor(emails)).values()].map((l) => {
      expect(l).toHaveLength(1);
      return l[0].subject;
    });
    const a = subjects.filter((s) => s === 'Variant A').length;
    const b = subjects.filter((s) => s === 'Variant B').length;
    expect(a + b).toBe(40);
    expect(a).toBeGreaterThanOrEqual(8);
    expect(b).toBeGreaterThanOrEqual(8);
    expect(mail.size).toBe(40);
  });

  it('triggered: a captured lead from the trigger source is enrolled and mailed; others are not', async () => {
    const id = await campaign(
      { type: 'triggered', targetAudience: { filters: { source: 'webinar' } } },
      [{ type: 'email', subject: 'Thanks for joining, {{firstName|friend}}', bodyText: 'see you' }],
    );
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    await sleep(1500);
    // Real captures through the API: the leads service emits lead.captured, the executor reacts.
    const [webinar, other] = [
      ...recipients('triggered', 1, 'webinar'),
      ...recipients('triggered', 1, 'other'),
    ];
    for (const [email, source] of [
      [webinar, 'webinar'],
      [other, 'website_form'],
    ]) {
      const res = await t.api.post('/api/v1/leads', {
        source,
        contact: { email, firstName: 'Tia' },
        consent: { email: true },
      });
      expect(res.status).toBe(201);
    }
    const mail = await waitUntil(
      'trigger mail',
      () => mailFor([webinar]),
      (m) => m.get(webinar)!.length === 1,
      20000,
    );
    expect(mail.get(webinar)![0].subject).toBe('Thanks for joining, Tia');
    await sleep(1500);
    expect((await mailFor([other])).get(other)).toHaveLength(0);
    expect((await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status).toBe('active');
  });

  it('triggered: a captured lead without consent in an opt-in workspace, or a suppressed one, is not enrolled', async () => {
    const w = await createTenant('exec-seq-optin');
    expect((await w.api.put('/api/v1/consent-policy', { mode: 'opt_in' })).status).toBe(200);
    const created = await w.api.post('/api/v1/campaigns', {
      name: 'Opt-in trigger',
      type: 'triggered',
      fromEmail: 'hello@acme.example',
      targetAudience: { filters: { source: 'fair' } },
      settings: { trackOpens: false, trackClicks: false },
    });
    const id = created.body.data.id as string;
    await w.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'email',
      subject: 'Met you at the fair',
      bodyText: 'hi',
    });
    expect((await w.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    await sleep(1500);
    const [unknown, suppressed, consented] = recipients('optin-trigger', 3, 'fair');
    await suppress(w, suppressed, 'unsubscribed');
    for (const [email, consent] of [
      [unknown, undefined],
      [suppressed, { email: true }],
      [consented, { email: true }],
    ] as const) {
      const res = await w.api.post('/api/v1/leads', {
        source: 'fair',
        contact: { email, firstName: 'Ola' },
        ...(consent ? { consent } : {}),
      });
      expect(res.status).toBe(201);
    }
    // The three events travel on different partitions: give the other two time after the third.
    await waitUntil(
      'consented lead mailed',
      () => mailFor([consented]),
      (m) => m.get(consented)!.length === 1,
      20000,
    );
    await sleep(3000);
    const mail = await mailFor([unknown, suppressed]);
    expect(mail.get(unknown)).toHaveLength(0);
    expect(mail.get(suppressed)).toHaveLength(0);
    const progress = (await w.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;
    expect(progress.progress.total).toBe(1);
    expect(progress.progress.skipped).toBe(0);
  });
});
