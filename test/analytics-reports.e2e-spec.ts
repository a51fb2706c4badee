import { createTenant, TestTenant } from '@app/testing';
import { eventually, EventProducer, Scope, tenantIdOf } from './analytics-support';
import { buildScenario, countsOf, produceScenario, Scenario } from './analytics-scenario';
import { createCampaign } from './fixtures';

jest.setTimeout(60000);

/** The read API over produced ground truth: periods, breakdowns, A/B test, cross-campaign insights. */
describe('analytics reports', () => {
  const producer = new EventProducer();
  let t: TestTenant;
  let scope: Scope;
  let recent: Scenario;
  let older: Scenario;

  const settle = async (s: Scenario) => {
    const read = async () => {
      const res = await t.api.get(`/api/v1/campaigns/${s.campaignId}/performance`);
      return res.status === 200 ? countsOf(res.body.data) : null;
    };
    expect(await eventually(read, s.expected)).toEqual(s.expected);
  };

  beforeAll(async () => {
    await producer.start();
    t = await createTenant('analytics-reports');
    scope = { tenantId: await tenantIdOf(t), workspaceId: t.workspaceId };
    const a = await createCampaign(t.api, { name: 'Recent sends' });
    const b = await createCampaign(t.api, { name: 'Older sends' });
    // Compact histories so hours and weekdays have volume; the older one opens better.
    recent = buildScenario(scope, a.id, 600, new Date(Date.now() - 5 * 3600_000), {
      spreadMinutes: 240,
      opens: (i) => i % 2 === 0,
    });
    older = buildScenario(scope, b.id, 600, new Date(Date.now() - 3 * 86400_000), {
      spreadMinutes: 240,
    });
    await produceScenario(producer, recent);
    await produceScenario(producer, older);
    await settle(recent);
    await settle(older);
  }, 60000);
  afterAll(() => producer.stop());

  it('statistics: periods, selected sections, timeline and segments add up', async () => {
    const url = `/api/v1/campaigns/${recent.campaignId}/statistics`;
    const all = (await t.api.get(`${url}?period=all`)).body.data;
    expect(all.overview).toMatchObject({
      messagesSent: 600,
      sent: 600,
      opened: recent.expected.opened,
    });
    expect(all.timelineBucket).toBe('day');
    expect(all.timeline.reduce((a: number, p: any) => a + p.sent, 0)).toBe(600);
    expect(all.segments.map((s: any) => s.performance.sent).sort()).toEqual(
      Object.values(recent.bySegment)
        .map((c) => c.sent)
        .sort(),
    );

    const day = (await t.api.get(`${url}?period=24h`)).body.data;
    expect(day.overview.sent).toBe(600);
    expect(day.timelineBucket).toBe('hour');
    expect(day.timeline.reduce((a: number, p: any) => a + p.clicked, 0)).toBe(
      recent.expected.clicked,
    );

    const since = Math.floor((Date.now() - 3600_000) / 3600_000) * 3600_000;
    const lastHour = recent.message.filter(
      (e) =>
        e.type === 'message.sent' && Date.parse(e.occurredAt) >= since && !(e.data as any).testMode,
    );
    const hour = (await t.api.get(`${url}?period=1h&metrics=overview`)).body.data;
    expect(hour.overview.sent).toBe(lastHour.length);
    expect(Object.keys(hour)).toEqual(['campaignId', 'period', 'range', 'overview']);

    const older7d = (await t.api.get(`/api/v1/campaigns/${older.campaignId}/statistics?period=24h`))
      .body.data;
    expect(older7d.overview.sent).toBe(0);
  });

  it('analytics: overall, by step, by variant with a significant winner, by source, date range', async () => {
    const base = `/api/v1/campaigns/${older.campaignId}/analytics`;
    const res = await t.api.get(base);
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d.overall.metrics).toMatchObject({
      sent: 600,
      clicked: older.expected.clicked,
      converted: older.expected.converted,
    });
    expect(d.overall.revenue.attributedRevenue).toBe(older.expected.revenue);
    expect(d.byStep.map((s: any) => [s.stepId, s.stepPosition, s.metrics.sent])).toEqual([
      [older.stepIds[0], 1, 300],
      [older.stepIds[1], 2, 300],
    ]);
    const [ab] = d.byVariant;
    expect(ab).toMatchObject({
      stepId: older.stepIds[0],
      metric: 'click',
      winner: 'B',
      significant: true,
    });
    const byId = Object.fromEntries(ab.variants.map((v: any) => [v.variantId, v]));
    expect(byId.A).toMatchObject({
      sent: older.byVariant.A.sent,
      clicked: older.byVariant.A.clicked,
    });
    expect(byId.B).toMatchObject({
      sent: older.byVariant.B.sent,
      clicked: older.byVariant.B.clicked,
    });
    expect(byId.A.vsLeader.pValue).toBeLessThan(0.05);
    expect(d.bySource).toEqual([expect.objectContaining({ source: 'newsletter' })]);

    const other = (await t.api.get(`${base}?source=other`)).body.data;
    expect(other.overall.metrics.sent).toBe(0);
    const before = (await t.api.get(`${base}?startDate=2020-01-01&endDate=2020-01-31`)).body.data;
    expect(before.overall.metrics.sent).toBe(0);
    const start = older.message[0].occurredAt.slice(0, 10);
    const ranged = (
      await t.api.get(`${base}?startDate=${start}&endDate=${new Date().toISOString().slice(0, 10)}`)
    ).body.data;
    expect(ranged.overall.metrics.sent).toBe(600);

    const ab2 = await t.api.get(`/api/v1/campaigns/${older.campaignId}/ab-results?metric=open`);
    expect(ab2.body.data).toMatchObject({
      metric: 'open',
      steps: [expect.objectContaining({ stepId: older.stepIds[0] })],
    });

    const summary = (await t.api.get(`${base}/summary`)).body.data;
    expect(summary.metrics.sent).toBe(600);
    expect(summary.activeDays).toBeGreaterThanOrEqual(1);
    expect(summary.bestDay).toEqual(expect.objectContaining({ date: expect.any(String) }));
  });

  it('cross-campaign: totals, one exact row per campaign, insights with their numbers', async () => {
    const res = await t.api.get('/api/v1/analytics/campaigns');
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d.summary).toMatchObject({ totalCampaigns: 2, totalRecipients: 1200 });
    const row = d.campaigns.find((c: any) => c.campaignId === older.campaignId);
    expect(row).toMatchObject({
      name: 'Older sends',
      metrics: { sent: 600, opened: older.expected.opened, clicked: older.expected.clicked },
    });
    const types = d.insights.map((i: any) => i.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'best_weekday',
        'best_hour',
        'best_variant',
        'segment_outperforming',
      ]),
    );
    const weekday = d.insights.find((i: any) => i.type === 'best_weekday');
    expect(weekday.data.openRate).toBeGreaterThan(weekday.data.averageOpenRate);
    expect(weekday.data.slots.length).toBeGreaterThanOrEqual(2);
    const variant = d.insights.find(
      (i: any) => i.type === 'best_variant' && i.data.campaignId === older.campaignId,
    );
    expect(variant.data.winner).toBe('B');
    for (const i of d.insights) expect(i.message && i.recommendation && i.data).toBeTruthy();

    const empty = await t.api.get(
      '/api/v1/analytics/campaigns?startDate=2020-01-01&endDate=2020-01-31',
    );
    expect(empty.body.data.summary.totalCampaigns).toBe(0);
  });

  it('cross-campaign: a repeated report follows new events and external metrics at once', async () => {
    const get = async () => (await t.api.get('/api/v1/analytics/campaigns')).body.data;
    const before = await get();
    // Served again (from the cache) while nothing changed: the same figures.
    expect((await get()).summary).toEqual(before.summary);

    const c = await createCampaign(t.api, { name: 'Late sends' });
    const late = buildScenario(scope, c.id, 40, new Date(Date.now() - 3600_000), {
      spreadMinutes: 30,
    });
    await produceScenario(producer, late);
    await settle(late);
    // The rollups and the workspace's change counter commit together: no waiting here.
    const after = await get();
    expect(after.summary).toMatchObject({
      totalCampaigns: before.summary.totalCampaigns + 1,
      totalRecipients: before.summary.totalRecipients + 40,
    });
    expect(after.campaigns.find((r: any) => r.campaignId === c.id).metrics.sent).toBe(40);

    const today = new Date().toISOString().slice(0, 10);
    const post = await t.api.post(`/api/v1/campaigns/${older.campaignId}/analytics`, {
      date: today,
      source: 'cache-check',
      metrics: { cost: 120, revenue: 30 },
    });
    expect(post.status).toBe(201);
    const withCost = await get();
    expect(withCost.summary.totalCost).toBe(after.summary.totalCost + 120);
    const row = withCost.campaigns.find((r: any) => r.campaignId === older.campaignId);
    expect(row.metrics.cost).toBe(120);
  });
});
