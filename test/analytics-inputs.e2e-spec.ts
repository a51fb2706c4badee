import { createTenant, TestTenant } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { envelope, eventually, EventProducer, Scope, tenantIdOf } from './analytics-support';
import { createCampaign } from './fixtures';

jest.setTimeout(60000);

/** External metrics, conversions and their attribution, tenant isolation and validation. */
describe('analytics inputs, isolation and validation', () => {
  const producer = new EventProducer();
  let t: TestTenant;
  let other: TestTenant;
  let scope: Scope;

  const perf = async (id: string) =>
    (await t.api.get(`/api/v1/campaigns/${id}/performance`)).body.data;

  beforeAll(async () => {
    await producer.start();
    [t, other] = await Promise.all([createTenant('analytics-in'), createTenant('analytics-other')]);
    scope = { tenantId: await tenantIdOf(t), workspaceId: t.workspaceId };
  });
  afterAll(() => producer.stop());

  it('external metrics: the same date and source again replaces, and says so', async () => {
    const c = await createCampaign(t.api, { name: 'Paid social' });
    const url = `/api/v1/campaigns/${c.id}/analytics`;
    const metrics = {
      impressions: 10000,
      clicks: 500,
      conversions: 50,
      cost: 100,
      revenue: 5000,
      customMetrics: { engagementRate: 0.05 },
    };
    const first = await t.api.post(url, { date: '2025-06-15', source: 'facebook', metrics });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ replaced: false, previous: null, metrics });
    const again = await t.api.post(url, {
      date: '2025-06-15',
      source: 'facebook',
      metrics: { ...metrics, cost: 250 },
    });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({
      replaced: true,
      previous: { cost: 100 },
      metrics: { cost: 250 },
    });
    expect(again.body.data.message).toMatch(/Replaced/);
    expect(
      (
        await t.api.post(url, {
          date: '2025-06-15',
          source: 'google',
          metrics: { cost: 50, revenue: 0 },
        })
      ).status,
    ).toBe(201);

    const p = await perf(c.id);
    expect(p.external).toEqual({
      impressions: 10000,
      clicks: 500,
      conversions: 50,
      cost: 300,
      revenue: 5000,
    });
    expect(p.revenue).toMatchObject({
      totalRevenue: 5000,
      cost: 300,
      conversions: 50,
      costPerAcquisition: 6,
      roi: 1566.67,
    });
    const fb = (await t.api.get(`${url}?source=facebook`)).body.data;
    expect(fb.overall.external.cost).toBe(250);
    // The campaign itself shows the cost and revenue reported for it.
    expect((await t.api.get(`/api/v1/campaigns/${c.id}`)).body.data.statistics).toMatchObject({
      revenue: 5000,
      cost: 300,
    });

    // What was recorded reads back as recorded, custom metrics included, day by day.
    await t.api.post(url, { date: '2025-06-16', source: 'facebook', metrics: { clicks: 7 } });
    const rows = (await t.api.get(`${url}/external`)).body.data;
    expect(rows.map((r: { date: string; source: string }) => `${r.date} ${r.source}`)).toEqual([
      '2025-06-15 facebook',
      '2025-06-15 google',
      '2025-06-16 facebook',
    ]);
    expect(rows[0].metrics).toEqual({ ...metrics, cost: 250 });
    expect(rows[2].metrics).toEqual({
      impressions: 0,
      clicks: 7,
      conversions: 0,
      cost: 0,
      revenue: 0,
      customMetrics: {},
    });
    const june16 = (await t.api.get(`${url}/external?startDate=2025-06-16&source=facebook`)).body
      .data;
    expect(june16).toHaveLength(1);
    expect(june16[0].date).toBe('2025-06-16');
    const bad = await t.api.get(`${url}/external?startDate=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('startDate');
    // Another tenant's key cannot read them.
    expect((await other.api.get(`${url}/external`)).status).toBe(404);
  });

  it('conversions: last click in the window, else last open, else the given campaign; counted once', async () => {
    const [c1, c2, c3] = await Promise.all(
      ['Clicked', 'Opened', 'Fallback'].map((name) => createCampaign(t.api, { name })),
    );
    const [clicker, opener] = [randomUUID(), randomUUID()];
    const email = `buyer-${clicker.slice(0, 8)}@example.com`;
    await producer.send('lead.events', [
      envelope(
        scope,
        'lead.captured',
        undefined,
        { email: email.toUpperCase() },
        new Date(),
        clicker,
      ),
    ]);
    const touch = (campaignId: string, variantId: string | null) => ({
      deliveryId: randomUUID(),
      stepId: 'step-1',
      stepPosition: 1,
      variantId,
      segmentId: 'vip',
      source: 'newsletter',
      channel: 'email',
      testMode: false,
    });
    const day = 86400_000;
    await producer.send('engagement.events', [
      envelope(
        scope,
        'engagement.clicked',
        c1.id,
        touch(c1.id, 'B'),
        new Date(Date.now() - 2 * day),
        clicker,
      ),
      envelope(
        scope,
        'engagement.opened',
        c2.id,
        touch(c2.id, null),
        new Date(Date.now() - day),
        clicker,
      ),
      envelope(
        scope,
        'engagement.opened',
        c2.id,
        touch(c2.id, 'A'),
        new Date(Date.now() - day),
        opener,
      ),
    ]);
    await eventually(async () => (await perf(c2.id)).metrics.opened, 2);
    await new Promise((r) => setTimeout(r, 500));

    const byEmail = await t.api.post('/api/v1/conversions', {
      email,
      value: 99.5,
      currency: 'EUR',
      externalId: 'order-1',
    });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body.data).toMatchObject({
      leadId: clicker,
      attributed: true,
      duplicate: false,
      attribution: {
        rule: 'last_click',
        campaignId: c1.id,
        variantId: 'B',
        stepId: 'step-1',
        segmentId: 'vip',
      },
    });
    const retry = await t.api.post('/api/v1/conversions', {
      email,
      value: 99.5,
      currency: 'EUR',
      externalId: 'order-1',
    });
    expect(retry.status).toBe(200);
    expect(retry.body.data).toMatchObject({
      duplicate: true,
      conversionId: byEmail.body.data.conversionId,
    });

    const byOpen = await t.api.post('/api/v1/conversions', { leadId: opener, value: 10 });
    expect(byOpen.body.data.attribution).toMatchObject({
      rule: 'last_open',
      campaignId: c2.id,
      variantId: 'A',
    });
    const fallback = await t.api.post('/api/v1/conversions', {
      email: 'nobody@example.com',
      value: 5,
      campaignId: c3.id,
    });
    expect(fallback.body.data.attribution).toMatchObject({
      rule: 'campaign',
      campaignId: c3.id,
      stepId: null,
    });
    const none = await t.api.post('/api/v1/conversions', { email: 'nobody@example.com', value: 5 });
    expect(none.body.data).toMatchObject({ attributed: false, attribution: null });

    const converted = async (id: string) => {
      const p = await perf(id);
      return [p.metrics.converted, p.revenue.attributedRevenue];
    };
    expect(await eventually(() => converted(c1.id), [1, 99.5])).toEqual([1, 99.5]);
    expect(await eventually(() => converted(c2.id), [1, 10])).toEqual([1, 10]);
    expect(await eventually(() => converted(c3.id), [1, 5])).toEqual([1, 5]);
    const ab = (await t.api.get(`/api/v1/campaigns/${c1.id}/ab-results?metric=conversion`)).body
      .data;
    expect(ab.steps[0].variants).toEqual([
      expect.objectContaining({ variantId: 'B', converted: 1 }),
    ]);
  });

  it("answers 404 on every analytics route for another tenant's campaign, or an unknown one", async () => {
    const c = await createCampaign(t.api, { name: 'Private' });
    for (const id of [c.id, randomUUID()]) {
      for (const path of [
        'performance',
        'statistics',
        'analytics',
        'analytics/summary',
        'ab-results',
      ]) {
        const res = await other.api.get(`/api/v1/campaigns/${id}/${path}`);
        expect([path, res.status]).toEqual([path, 404]);
      }
      const post = await other.api.post(`/api/v1/campaigns/${id}/analytics`, {
        date: '2025-06-15',
        source: 'x',
        metrics: { cost: 1 },
      });
      expect(post.status).toBe(404);
      const conv = await other.api.post('/api/v1/conversions', {
        email: 'a@example.com',
        value: 1,
        campaignId: id,
      });
      expect(conv.status).toBe(404);
    }
    const overview = (await other.api.get('/api/v1/analytics/campaigns')).body.data;
    expect(overview.campaigns).toEqual([]);
    expect((await perf(c.id)).external.cost).toBe(0);
  });

  it('answers 400 naming the bad parameter', async () => {
    const c = await createCampaign(t.api, { name: 'Validation' });
    const base = `/api/v1/campaigns/${c.id}`;
    const field = async (res: Promise<any>) => {
      const r = await res;
      return [r.status, [...new Set(r.body.error?.details?.map((d: any) => d.field))]];
    };
    expect(await field(t.api.get(`${base}/statistics?period=2h`))).toEqual([400, ['period']]);
    expect(await field(t.api.get(`${base}/statistics?metrics=bogus`))).toEqual([400, ['metrics']]);
    expect(await field(t.api.get(`${base}/analytics?startDate=2025-13-01`))).toEqual([
      400,
      ['startDate'],
    ]);
    expect(await field(t.api.get(`${base}/analytics/summary?endDate=tomorrow`))).toEqual([
      400,
      ['endDate'],
    ]);
    expect(
      await field(t.api.get(`${base}/analytics?startDate=2025-02-01&endDate=2025-01-01`)),
    ).toEqual([400, ['startDate']]);
    expect(await field(t.api.get(`${base}/ab-results?metric=revenue`))).toEqual([400, ['metric']]);
    expect(await field(t.api.get('/api/v1/analytics/campaigns?startDate=2025-02-30'))).toEqual([
      400,
      ['startDate'],
    ]);
    expect((await t.api.get('/api/v1/campaigns/not-a-uuid/performance')).status).toBe(400);
    expect(
      await field(
        t.api.post(`${base}/analytics`, { date: '15/06/2025', source: 'x', metrics: {} }),
      ),
    ).toEqual([400, ['date']]);
    expect(
      await field(
        t.api.post(`${base}/analytics`, { date: '2025-06-15', source: 'x', metrics: { cost: -1 } }),
      ),
    ).toEqual([400, ['metrics.cost']]);
    expect(await field(t.api.post('/api/v1/conversions', { value: 1 }))).toEqual([400, ['leadId']]);
    expect(await field(t.api.post('/api/v1/conversions', { email: 'a@example.com' }))).toEqual([
      400,
      ['value'],
    ]);
  });
});
