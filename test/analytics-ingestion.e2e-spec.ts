import { createTenant, TestTenant } from '@app/testing';
import { randomUUID } from 'node:crypto';
import {
  analyticsHealth,
  envelope,
  eventually,
  EventProducer,
  replayFromBeginning,
  restartAnalytics,
  Scope,
  sql,
  tenantIdOf,
} from './analytics-support';
import { buildScenario, countsOf, produceScenario, Scenario } from './analytics-scenario';
import { createCampaign } from './fixtures';

jest.setTimeout(60000);

/**
 * The analytics consumer against the real broker and the real process: counts equal the
 * ground truth despite duplicates and test-mode events, after a kill -9 in the middle of a
 * stream, and after replaying every topic from the beginning.
 */
describe('analytics ingestion is exact', () => {
  const producer = new EventProducer();
  let t: TestTenant;
  let scope: Scope;
  const scenarios: Scenario[] = [];

  const performance = async (id: string) => {
    const res = await t.api.get(`/api/v1/campaigns/${id}/performance`);
    return res.status === 200 ? countsOf(res.body.data) : null;
  };
  const expectExact = async (s: Scenario, timeoutMs = 30000) => {
    expect(await eventually(() => performance(s.campaignId), s.expected, timeoutMs)).toEqual(
      s.expected,
    );
  };

  beforeAll(async () => {
    await producer.start();
    t = await createTenant('analytics-ingest');
    scope = { tenantId: await tenantIdOf(t), workspaceId: t.workspaceId };
  });
  afterAll(() => producer.stop());

  it('counts every event once: duplicates by eventId and test-mode events do not count', async () => {
    const c = await createCampaign(t.api, { name: 'Exact counts' });
    const s = buildScenario(scope, c.id, 400, new Date(Date.now() - 3 * 86400_000));
    scenarios.push(s);
    await produceScenario(producer, s);
    await expectExact(s);
    // Settled: nothing arrives late and overshoots.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await performance(c.id)).toEqual(s.expected);

    const stats = await t.api.get(`/api/v1/campaigns/${c.id}/statistics?period=all`);
    expect(stats.status).toBe(200);
    for (const segmentId of s.segmentIds) {
      const row = stats.body.data.segments.find((x: any) => x.segmentId === segmentId);
      expect(row.performance).toMatchObject({
        sent: s.bySegment[segmentId].sent,
        opened: s.bySegment[segmentId].opened,
        clicked: s.bySegment[segmentId].clicked,
      });
    }
    expect(stats.body.data.overview).toMatchObject({
      messagesSent: s.expected.sent,
      read: s.expected.opened,
    });
  });

  it('stays exact when the analytics process is killed (-9) in the middle of a stream', async () => {
    const c = await createCampaign(t.api, { name: 'Crash mid-stream' });
    const s = buildScenario(scope, c.id, 3000, new Date(Date.now() - 4 * 86400_000));
    scenarios.push(s);
    const producing = produceScenario(producer, s);
    await new Promise((r) => setTimeout(r, 400));
    await restartAnalytics('SIGKILL');
    await producing;
    await expectExact(s, 60000);
    await expectExact(scenarios[0]);
  }, 120000);

  it('stays exact after replaying every topic from the beginning', async () => {
    let reset: any;
    await restartAnalytics(
      'SIGTERM',
      async () => {
        reset = await replayFromBeginning();
      },
      '-replayed',
      { ANALYTICS_PURGE_INTERVAL_MS: '1000' },
    );
    expect(reset.partitions).toBe(24);
    // A sentinel on every partition of both counted topics: once all are visible, every
    // partition has been replayed past the events above.
    const sentinel = await createCampaign(t.api, { name: 'Replay sentinel' });
    for (let p = 0; p < 6; p++) {
      const data = { deliveryId: randomUUID(), stepId: 's', stepPosition: 1, testMode: false };
      await producer.send(
        'message.events',
        [envelope(scope, 'message.sent', sentinel.id, data)],
        p,
      );
      await producer.send(
        'engagement.events',
        [envelope(scope, 'engagement.opened', sentinel.id, data)],
        p,
      );
    }
    const seen = await eventually(
      async () => {
        const p = await performance(sentinel.id);
        return p && { sent: p.sent, opened: p.opened };
      },
      { sent: 6, opened: 6 },
      90000,
    );
    expect(seen).toEqual({ sent: 6, opened: 6 });
    // The new process read the old events again and recognised every one of them.
    const { duplicates } = (await analyticsHealth()).checks.ingestion.detail;
    const mine = scenarios.reduce((a, s) => a + s.message.length + s.engagement.length, 0);
    expect(duplicates).toBeGreaterThanOrEqual(mine);
    for (const s of scenarios) expect(await performance(s.campaignId)).toEqual(s.expected);
  }, 150000);

  it('purges raw events past the retention without touching the rollups', async () => {
    const s = scenarios[0];
    const before = await performance(s.campaignId);
    // Age this campaign's raw events past the 30-day retention; the purge runs every second.
    sql(
      `UPDATE analytics.events SET received_at = now() - interval '31 days' WHERE campaign_id = '${s.campaignId}'`,
    );
    const left = async () =>
      Number(sql(`SELECT count(*) FROM analytics.events WHERE campaign_id = '${s.campaignId}'`));
    expect(await eventually(left, 0, 20000)).toBe(0);
    expect(await performance(s.campaignId)).toEqual(before);
  });
});
