import { createTenant, stopProcess, TestTenant } from '@app/testing';
import { eventually } from './analytics-support';
import {
  seedSegment,
  contact,
  ExecutorProcess,
  mailFor,
  recipients,
  restoreExecutor,
  REAL_LEADS,
  startExecutor,
  takeOverExecutor,
  waitUntil,
} from './executor-harness';

jest.setTimeout(90000);

/**
 * The whole chain with the real executor: what reached the SMTP server and which tracking
 * links were hit is exactly what analytics reports, and it agrees with the executor's progress
 * once the campaign has completed. Leads are real leads of the leads service.
 */
describe('analytics agree with what was really sent and tracked', () => {
  let t: TestTenant;
  let executor: ExecutorProcess;

  beforeAll(async () => {
    await takeOverExecutor();
    executor = await startExecutor(0, REAL_LEADS);
    t = await createTenant('analytics-real');
  });

  afterAll(async () => {
    await stopProcess(executor.child);
    await restoreExecutor();
  });

  it('counts the SMTP deliveries, both kinds of bounce, the opens and clicks really hit and the replies', async () => {
    const emails = recipients('analytics-real', 5);
    // The catcher refuses this one at RCPT with a 550: sent, and bounced at once.
    const [refused] = recipients('analytics-real', 1, 'bounce');
    const segment = await seedSegment(
      t,
      [...emails, refused].map((email) => contact(email)),
    );
    const created = await t.api.post('/api/v1/campaigns', {
      name: 'Tracked broadcast',
      type: 'broadcast',
      fromEmail: 'news@acme.example',
      targetAudience: { segments: [segment] },
      settings: { trackOpens: true, trackClicks: true },
    });
    const id = created.body.data.id;
    await t.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'email',
      subject: 'Hello',
      bodyHtml: '<p>Hi</p><a href="https://acme.example/offer">Offer</a>',
    });
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);

    const mail = await waitUntil(
      'all emails',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length >= 1),
    );
    await waitUntil(
      'completion',
      async () => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status,
      (s) => s === 'completed',
    );
    const html = emails.map((e) => mail.get(e)![0].html as string);
    const openUrl = (h: string) => h.match(/http:\/\/127\.0\.0\.1:\d+\/t\/o\/[\w.-]+\.gif/)![0];
    const clickUrl = (h: string) => h.match(/http:\/\/127\.0\.0\.1:\d+\/t\/c\/[\w.-]+/)![0];
    // Three recipients open (one of them twice), two click.
    for (const url of [openUrl(html[0]), openUrl(html[0]), openUrl(html[1]), openUrl(html[2])]) {
      expect((await fetch(url)).status).toBe(200);
    }
    for (const url of [clickUrl(html[1]), clickUrl(html[3])]) {
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(302);
    }
    // The provider reports one bounce later (twice, as providers retry their notifications):
    // that message was sent but never reached anyone, and it counts once.
    const bounced = mail.get(emails[4])![0].headers['x-delivery-id'];
    const report = () =>
      t.api.post('/api/v1/inbound/events', {
        events: [{ type: 'bounce', deliveryId: bounced, code: 'SMTP_550' }],
      });
    expect((await report()).body.data.results[0]).toMatchObject({ applied: true });
    expect((await report()).body.data.results[0]).toMatchObject({
      applied: false,
      reason: 'delivery is failed',
    });
    // A complaint, reported twice too, counts once.
    const complaint = {
      events: [{ type: 'complaint', deliveryId: mail.get(emails[3])![0].headers['x-delivery-id'] }],
    };
    for (let i = 0; i < 2; i++)
      expect((await t.api.post('/api/v1/inbound/events', complaint)).status).toBe(200);

    // One recipient writes back twice, another once: two contacts replied, three replies.
    const replyTo = (i: number) => ({
      events: [{ type: 'reply', deliveryId: mail.get(emails[i])![0].headers['x-delivery-id'] }],
    });
    for (const i of [0, 1, 0])
      expect((await t.api.post('/api/v1/inbound/events', replyTo(i))).status).toBe(200);

    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;
    const expected = {
      sent: emails.length + 1,
      delivered: 4,
      bounced: 2,
      complained: 1,
      deliveryRate: 66.67,
      bounceRate: 33.33,
      opened: 3,
      opens: 4,
      clicked: 2,
      clicks: 2,
      replied: 2,
      replies: 3,
      replyRate: 50,
    };
    // The executor's progress counts both bounced deliveries as failed.
    expect(progress.progress).toMatchObject({ successful: emails.length - 1, failed: 2 });
    const read = async () => {
      const { metrics: m, rates } = (await t.api.get(`/api/v1/campaigns/${id}/performance`)).body
        .data;
      return {
        sent: m.sent,
        delivered: m.delivered,
        bounced: m.bounced,
        complained: m.complained,
        deliveryRate: rates.deliveryRate,
        bounceRate: rates.bounceRate,
        opened: m.opened,
        opens: m.opens,
        clicked: m.clicked,
        clicks: m.clicks,
        replied: m.replied,
        replies: m.replies,
        replyRate: rates.replyRate,
      };
    };
    expect(await eventually(read, expected)).toEqual(expected);
    // The campaign itself, alone and in the list, carries the same figures.
    const statistics = {
      sent: 6,
      delivered: 4,
      opened: 3,
      clicked: 2,
      replied: 2,
      converted: 0,
      bounced: 2,
      failed: 0,
      unsubscribed: 0,
      openRate: 75,
      clickRate: 50,
      replyRate: 50,
      conversionRate: 0,
      revenue: 0,
      cost: 0,
    };
    // (The gateway reuses a campaign's figures for a second: read until they are current.)
    const ownStatistics = async () =>
      (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.statistics;
    expect(await eventually(ownStatistics, statistics)).toEqual(statistics);
    // And its audience: the six contacts the launch enrolled (seed 004's totalCount).
    expect((await t.api.get(`/api/v1/campaigns/${id}`)).body.data.targetAudience).toEqual({
      segments: [segment],
      totalCount: 6,
    });
    // Per segment, with the segment's name from the leads service.
    const { segments } = (await t.api.get(`/api/v1/campaigns/${id}/statistics?metrics=segments`))
      .body.data;
    const segmentName = (await t.api.get(`/api/v1/segments/${segment}`)).body.data.name;
    expect(segmentName).toMatch(/^e2e /);
    expect(segments).toEqual([
      expect.objectContaining({
        segmentId: segment,
        name: segmentName,
        performance: expect.objectContaining({ sent: 6 }),
      }),
    ]);
    const listed = (await t.api.get('/api/v1/campaigns')).body.data;
    expect(listed.find((c: { id: string }) => c.id === id).statistics).toEqual(statistics);
    expect(listed.find((c: { id: string }) => c.id === id).targetAudience.totalCount).toBe(6);
    const analytics = (await t.api.get(`/api/v1/campaigns/${id}/analytics`)).body.data;
    expect(analytics.byStep).toEqual([
      expect.objectContaining({
        stepPosition: 1,
        metrics: expect.objectContaining({ sent: 6, bounced: 2 }),
      }),
    ]);
  });
});
