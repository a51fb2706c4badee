import { createTenant, KafkaCollector, TestTenant } from '@app/testing';
import { createLaunchable } from './fixtures';

describe('campaign events on Kafka (transactional outbox)', () => {
  let t: TestTenant;
  const collector = new KafkaCollector(['test.campaign.events']);

  beforeAll(async () => {
    await collector.start();
    t = await createTenant('events');
  });
  afterAll(() => collector.stop());

  it('publishes every state change with the envelope, keyed by campaign id, in order', async () => {
    const c = await createLaunchable(t.api, { name: 'Evented' });
    await t.api.post(`/api/v1/campaigns/${c.id}/launch`, { targetPercentage: 50 });
    await t.api.post(`/api/v1/campaigns/${c.id}/pause`);
    await t.api.post(`/api/v1/campaigns/${c.id}/resume`);
    await t.api.post(`/api/v1/campaigns/${c.id}/cancel`);
    await collector.waitFor(
      (e) => e.value.campaignId === c.id && e.value.type === 'campaign.cancelled',
    );

    const mine = collector.events.filter((e) => e.value.campaignId === c.id);
    expect(mine.map((e) => e.value.type)).toEqual([
      'campaign.created',
      'campaign.step_added',
      'campaign.started',
      'campaign.paused',
      'campaign.resumed',
      'campaign.cancelled',
    ]);
    for (const e of mine) {
      expect(e.key).toBe(c.id);
      expect(e.value).toMatchObject({
        version: 1,
        tenantId: expect.any(String),
        workspaceId: t.workspaceId,
        campaignId: c.id,
      });
      expect(e.value.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(e.value.occurredAt).toISOString()).toBe(e.value.occurredAt);
    }
    expect(new Set(mine.map((e) => e.value.eventId)).size).toBe(mine.length);
    const started = mine.find((e) => e.value.type === 'campaign.started')!;
    expect(started.value.data).toMatchObject({
      from: 'draft',
      to: 'active',
      launch: { targetPercentage: 50 },
    });
    expect(started.value.data.campaign).toMatchObject({
      id: c.id,
      name: 'Evented',
      status: 'active',
    });
  });

  it('emits nothing for a refused transition', async () => {
    const c = await createLaunchable(t.api);
    expect((await t.api.post(`/api/v1/campaigns/${c.id}/pause`)).status).toBe(409);
    await t.api.post(`/api/v1/campaigns/${c.id}/cancel`);
    await collector.waitFor(
      (e) => e.value.campaignId === c.id && e.value.type === 'campaign.cancelled',
    );
    expect(
      collector.events.filter(
        (e) => e.value.campaignId === c.id && e.value.type === 'campaign.paused',
      ),
    ).toHaveLength(0);
  });
});
