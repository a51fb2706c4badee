import { createTenant, KafkaCollector, stopProcess, TestTenant } from '@app/testing';
import {
  seedSegment,
  contact,
  ExecutorProcess,
  mailFor,
  recipients,
  restoreExecutor,
  sleep,
  REAL_LEADS,
  startExecutor,
  takeOverExecutor,
  waitUntil,
} from './executor-harness';

jest.setTimeout(120000);

/**
 * The A/B winner flow on the real stack: a test share gets the variants, the rest is held in
 * Postgres until the decision, then gets exactly the winner. Asserted on what reached the SMTP
 * catcher, on the progress route and on the Kafka event.
 */
describe('executor: A/B test share, winner decision, winner to the rest', () => {
  let t: TestTenant;
  let other: TestTenant;
  let executor: ExecutorProcess;
  const events = new KafkaCollector(['test.campaign.events']);

  beforeAll(async () => {
    await takeOverExecutor();
    executor = await startExecutor(0, REAL_LEADS);
    t = await createTenant('exec-ab');
    other = await createTenant('exec-ab-other');
    await events.start();
  });

  afterAll(async () => {
    await events.stop();
    await stopProcess(executor.child);
    await restoreExecutor();
  });

  async function abCampaign(n: number, abTest: Record<string, unknown>) {
    const emails = recipients('ab-winner', n);
    const segment = await seedSegment(
      t,
      emails.map((e) => contact(e)),
    );
    const created = await t.api.post('/api/v1/campaigns', {
      name: 'A/B winner',
      type: 'ab_test',
      fromEmail: 'hello@acme.example',
      targetAudience: { segments: [segment] },
      settings: { trackOpens: true, trackClicks: true, abTest },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    const step = await t.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'email',
      subject: 'unused',
      bodyText: 'unused',
      variants: [
        {
          name: 'A',
          weight: 50,
          subject: 'Variant A',
          bodyHtml: '<p>aaa <a href="https://acme.example/a">a</a></p>',
        },
        {
          name: 'B',
          weight: 50,
          subject: 'Variant B',
          bodyHtml: '<p>bbb <a href="https://acme.example/b">b</a></p>',
        },
      ],
    });
    expect(step.status).toBe(201);
    return { id, emails };
  }

  const progress = async (id: string) =>
    (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;

  /** Until every test-share contact has its mail: sent to the variants + held = audience. */
  async function testShareSent(id: string, n: number) {
    return waitUntil(
      'test share sent',
      () => progress(id),
      (p) =>
        p.abTest?.phase === 'testing' &&
        p.abTest.held > 0 &&
        p.abTest.variants.reduce((s: number, v: { sent: number }) => s + v.sent, 0) +
          p.abTest.held ===
          n,
    );
  }

  it('rejects bad settings.abTest with a 400 naming the field, creating nothing', async () => {
    const valid = {
      testPercentage: 20,
      winnerMetric: 'open_rate',
      decideAfter: { amount: 1, unit: 'hours' },
    };
    const bad: [Record<string, unknown>, string][] = [
      [{ ...valid, testPercentage: 0 }, 'testPercentage'],
      [{ ...valid, testPercentage: 100 }, 'testPercentage'],
      [{ ...valid, winnerMetric: 'reply_rate' }, 'winnerMetric'],
      [{ ...valid, decideAfter: { amount: 1, unit: 'weeks' } }, 'unit'],
      [{ ...valid, decideAfter: { amount: 0, unit: 'hours' } }, 'amount'],
      [{ testPercentage: 20, winnerMetric: 'open_rate' }, 'decideAfter'],
    ];
    const before = (await t.api.get('/api/v1/campaigns?limit=1')).body.pagination.total;
    for (const [abTest, field] of bad) {
      const res = await t.api.post('/api/v1/campaigns', {
        name: 'bad',
        type: 'ab_test',
        settings: { abTest },
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect((await t.api.get('/api/v1/campaigns?limit=1')).body.pagination.total).toBe(before);
  });

  it('test share split across variants; opens of B make B win at decideAt (held while paused); the rest get exactly B', async () => {
    const n = 40;
    const { id, emails } = await abCampaign(n, {
      testPercentage: 50,
      winnerMetric: 'open_rate',
      decideAfter: { amount: 12, unit: 'seconds' },
    });
    // The dry run plans the hold: the test share at the start, the rest at the decision time.
    const startAt = '2030-01-07T10:00:00.000Z';
    const plan = await t.api.post(`/api/v1/campaigns/${id}/simulate`, { startAt, sampleSize: n });
    expect(plan.status).toBe(200);
    const planned = plan.body.data.abTest;
    expect(planned.decideAt).toBe('2030-01-07T10:00:12.000Z');
    expect(planned.testShare + planned.afterDecision).toBe(n);
    expect(planned.afterDecision).toBeGreaterThan(0);
    const firstSends = plan.body.data.sample.map(
      (c: { timeline: { at: string; variant: string }[] }) => c.timeline[0],
    );
    const planHeld = firstSends.filter((f: { variant: string }) => f.variant === 'winner');
    expect(planHeld).toHaveLength(planned.afterDecision);
    expect(planHeld.every((f: { at: string }) => f.at === planned.decideAt)).toBe(true);
    expect(
      firstSends
        .filter((f: { variant: string }) => f.variant !== 'winner')
        .every((f: { at: string }) => f.at === startAt),
    ).toBe(true);
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    const testing = await testShareSent(id, n);
    // Paused over decideAt: no decision and no send until resumed.
    expect((await t.api.post(`/api/v1/campaigns/${id}/pause`)).status).toBe(200);
    const decideAt = Date.parse(testing.abTest.decideAt);
    expect(decideAt - Date.parse(testing.abTest.startedAt)).toBe(12000);
    expect(Date.now()).toBeLessThan(decideAt);

    const first = await mailFor(emails);
    const testShare = emails.filter((e) => first.get(e)!.length > 0);
    const held = emails.filter((e) => first.get(e)!.length === 0);
    expect(testShare.length + testing.abTest.held).toBe(n);
    expect(held).toHaveLength(testing.abTest.held);
    for (const e of testShare) expect(first.get(e)).toHaveLength(1);
    const ofVariant = (v: string) => testShare.filter((e) => first.get(e)![0].subject === v);
    const [a, b] = [ofVariant('Variant A'), ofVariant('Variant B')];
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(a.length + b.length).toBe(testShare.length);

    // Every B recipient opens the mail through the real tracking pixel.
    for (const e of b) {
      const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(first.get(e)![0].html)![1];
      expect((await fetch(pixel)).status).toBe(200);
    }
    await sleep(Math.max(0, decideAt - Date.now()) + 2500);
    const paused = await progress(id);
    expect(paused.abTest.phase).toBe('testing');
    expect(paused.abTest.winner).toBeNull();
    const opens = Object.fromEntries(
      paused.abTest.variants.map((v: { name: string; opens: number }) => [v.name, v.opens]),
    );
    expect(opens).toEqual({ A: 0, B: b.length });
    expect([...(await mailFor(held)).values()].every((l) => l.length === 0)).toBe(true);

    const resumedAt = Date.now();
    expect((await t.api.post(`/api/v1/campaigns/${id}/resume`)).status).toBe(200);
    const all = await waitUntil(
      'winner to the rest',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length >= 1),
      30000,
    );
    await sleep(1500);
    const final = await mailFor(emails);
    for (const e of emails) expect(final.get(e)).toHaveLength(1);
    for (const e of held) {
      expect(final.get(e)![0].subject).toBe('Variant B');
      expect(Date.parse(final.get(e)![0].receivedAt)).toBeGreaterThanOrEqual(resumedAt);
    }
    expect([...all.values()].flat()).toHaveLength(n);

    const done = await progress(id);
    expect(done.abTest.phase).toBe('decided');
    expect(done.abTest.winner).toMatchObject({
      name: 'B',
      decidedBy: 'auto',
      reason: 'highest_rate',
    });
    expect(Date.parse(done.abTest.winner.decidedAt)).toBeGreaterThanOrEqual(resumedAt - 50);
    const basis = Object.fromEntries(
      done.abTest.winner.basis.map((v: { name: string; sent: number; opens: number }) => [
        v.name,
        [v.sent, v.opens],
      ]),
    );
    expect(basis).toEqual({ A: [a.length, 0], B: [b.length, b.length] });
    const sent = Object.fromEntries(
      done.abTest.variants.map((v: { name: string; sent: number }) => [v.name, v.sent]),
    );
    expect(sent).toEqual({ A: a.length, B: b.length + held.length });
    expect(done.progress.successful).toBe(n);

    const event = await events.waitFor(
      (e) => e.value.type === 'campaign.ab_winner_selected' && e.value.campaignId === id,
    );
    expect(event.key).toBe(id);
    expect(event.value.data).toMatchObject({
      winner: { name: 'B' },
      metric: 'open_rate',
      decidedBy: 'auto',
      reason: 'highest_rate',
      campaign: { id, type: 'ab_test' },
    });
  });

  it('manual winner: 400 for an unknown variant, 404 for another tenant, then the rest get it; a second choice is 409', async () => {
    const n = 30;
    const { id, emails } = await abCampaign(n, {
      testPercentage: 40,
      winnerMetric: 'click_rate',
      decideAfter: { amount: 1, unit: 'hours' },
    });
    const early = await t.api.post(`/api/v1/campaigns/${id}/ab-test/winner`, { variant: 'A' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('AB_TEST_NOT_STARTED');
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    const testing = await testShareSent(id, n);
    const first = await mailFor(emails);
    const held = emails.filter((e) => first.get(e)!.length === 0);
    expect(held).toHaveLength(testing.abTest.held);

    const unknown = await t.api.post(`/api/v1/campaigns/${id}/ab-test/winner`, { variant: 'Z' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('variant');
    expect((await t.api.post(`/api/v1/campaigns/${id}/ab-test/winner`, {})).status).toBe(400);
    const foreign = await other.api.post(`/api/v1/campaigns/${id}/ab-test/winner`, {
      variant: 'A',
    });
    expect(foreign.status).toBe(404);
    expect((await progress(id)).abTest.phase).toBe('testing');

    const chosenAt = Date.now();
    const chosen = await t.api.post(`/api/v1/campaigns/${id}/ab-test/winner`, { variant: 'A' });
    expect(chosen.status).toBe(200);
    expect(chosen.body.data.phase).toBe('decided');
    expect(chosen.body.data.winner).toMatchObject({
      name: 'A',
      decidedBy: 'manual',
      reason: 'manual',
    });
    const again = await t.api.post(`/api/v1/campaigns/${id}/ab-test/winner`, { variant: 'B' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('AB_WINNER_ALREADY_SELECTED');

    await waitUntil(
      'winner to the held contacts',
      () => mailFor(held),
      (m) => [...m.values()].every((l) => l.length >= 1),
      30000,
    );
    await sleep(1500);
    const final = await mailFor(emails);
    for (const e of emails) expect(final.get(e)).toHaveLength(1);
    for (const e of held) {
      expect(final.get(e)![0].subject).toBe('Variant A');
      expect(Date.parse(final.get(e)![0].receivedAt)).toBeGreaterThanOrEqual(chosenAt);
    }
    const event = await events.waitFor(
      (e) => e.value.type === 'campaign.ab_winner_selected' && e.value.campaignId === id,
    );
    expect(event.value.data).toMatchObject({ winner: { name: 'A' }, decidedBy: 'manual' });
  });

  it('cancel during the test window: the held contacts get nothing and the test is abandoned', async () => {
    const n = 20;
    const { id, emails } = await abCampaign(n, {
      testPercentage: 50,
      winnerMetric: 'open_rate',
      decideAfter: { amount: 3, unit: 'seconds' },
    });
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    const testing = await testShareSent(id, n);
    expect((await t.api.post(`/api/v1/campaigns/${id}/cancel`)).status).toBe(200);
    const first = await mailFor(emails);
    await sleep(Math.max(0, Date.parse(testing.abTest.decideAt) - Date.now()) + 2500);
    const after = await mailFor(emails);
    expect([...after.values()].flat()).toHaveLength([...first.values()].flat().length);
    const p = await progress(id);
    expect(p.abTest.phase).toBe('abandoned');
    expect(p.abTest.winner).toBeNull();
    const selected = await t.api.post(`/api/v1/campaigns/${id}/ab-test/winner`, { variant: 'A' });
    expect(selected.status).toBe(409);
  });
});
