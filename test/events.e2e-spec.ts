import { createTenant, KafkaCollector, TestTenant } from '@app/testing';
import { createLaunchable } from './fixtures';
import { launchBroadcast, recipients, waitUntil } from './executor-harness';

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

describe('message events on Kafka (packed outbox rows)', () => {
  let t: TestTenant;
  const collector = new KafkaCollector(['test.message.events']);

  beforeAll(async () => {
    await collector.start();
    t = await createTenant('msg-events');
  });
  afterAll(() => collector.stop());

  // The executor writes the events of a set-based claim or outcome as one outbox row per
  // campaign; the relay must still publish each event as a message of its own, once, in order.
  it('publishes queued and sent once per message, each delivery in order', async () => {
    const emails = recipients('msg-events', 120);
    const id = await launchBroadcast(t, emails, {
      name: 'Evented broadcast',
      subject: 'Hello',
      bodyText: 'Hi',
    });
    const mine = () => collector.events.filter((e) => e.value.campaignId === id);
    await waitUntil(
      'two events per message',
      async () => mine().length,
      (n) => n >= emails.length * 2,
    );
    // Late duplicates would land after the count was reached: give them a moment.
    await new Promise((r) => setTimeout(r, 1000));

    const events = mine();
    expect(events).toHaveLength(emails.length * 2);
    expect(new Set(events.map((e) => e.value.eventId)).size).toBe(events.length);
    const byDelivery = new Map<string, string[]>();
    for (const e of events) {
      expect(e.key).toBe(id);
      expect(e.value).toMatchObject({ campaignId: id, workspaceId: t.workspaceId, version: 1 });
      const list = byDelivery.get(e.value.data.deliveryId) ?? [];
      list.push(e.value.type);
      byDelivery.set(e.value.data.deliveryId, list);
    }
    expect(byDelivery.size).toBe(emails.length);
    for (const types of byDelivery.values())
      expect(types).toEqual(['message.queued', 'message.sent']);

    // A provider's delivery receipt is what makes a message delivered: once per delivery, and
    // only for the workspace that sent it.
    const [first, second, third] = [...byDelivery.keys()];
    const receipt = (deliveryId: string) => ({ events: [{ type: 'delivered', deliveryId }] });
    const other = await createTenant('msg-events-other');
    const foreign = await other.api.post('/api/v1/inbound/events', receipt(first));
    expect(foreign.body.data.results[0]).toMatchObject({ applied: false });
    const res = await t.api.post('/api/v1/inbound/events', receipt(first));
    expect(res.status).toBe(200);
    expect(res.body.data.results[0]).toEqual({
      deliveryId: first,
      type: 'delivered',
      applied: true,
    });
    const again = await t.api.post('/api/v1/inbound/events', receipt(first));
    expect(again.body.data.results[0]).toMatchObject({
      applied: false,
      reason: 'already delivered',
    });
    // A bounced delivery was not delivered: its receipt is refused, and says why; a repeated
    // bounce report is refused the same way and emits nothing.
    const bounce = { events: [{ type: 'bounce', deliveryId: second }] };
    const bounced = await t.api.post('/api/v1/inbound/events', bounce);
    expect(bounced.body.data.results[0]).toMatchObject({ applied: true });
    for (const report of [receipt(second), bounce]) {
      const late = await t.api.post('/api/v1/inbound/events', report);
      expect(late.body.data.results[0]).toMatchObject({
        applied: false,
        reason: 'delivery is failed',
      });
    }
    // The last receipt's event comes after anything the refused reports could have emitted.
    expect((await t.api.post('/api/v1/inbound/events', receipt(third))).status).toBe(200);
    const isDelivered = (e: { value: { type: string } }) => e.value.type === 'message.delivered';
    await collector.waitFor((e) => isDelivered(e) && e.value.data.deliveryId === third);
    const receipts = mine().filter(isDelivered);
    expect(receipts.map((e) => e.value.data.deliveryId)).toEqual([first, third]);
    expect(receipts[0].value.data).toMatchObject({ deliveryId: first, channel: 'email' });
    const bounces = mine().filter((e) => e.value.type === 'message.bounced');
    expect(bounces.map((e) => e.value.data.deliveryId)).toEqual([second]);
  });
});
