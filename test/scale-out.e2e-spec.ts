import {
  createTenant,
  healthUrl,
  spawnApp,
  STATE_FILE,
  stopProcess,
  TEST_PORTS,
  TestTenant,
  waitForHealth,
} from '@app/testing';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { eventually } from './analytics-support';
import {
  ExecutorProcess,
  mailFor,
  metricSum,
  REAL_LEADS,
  recipients,
  restoreExecutor,
  sleep,
  startExecutor,
  takeOverExecutor,
  waitUntil,
} from './executor-harness';

jest.setTimeout(180000);

const CONTACTS = 240;
const OPENERS = 40;

/** What one run of the reference campaign produced: the SMTP ground truth and what analytics says. */
interface RunOutcome {
  /** Per recipient, the subjects it received, sorted. */
  perRecipient: Map<string, string[]>;
  /** Messages per subject ("S1 A", "S1 B", "S2"). */
  bySubject: Record<string, number>;
  opened: number;
  analytics: Record<string, unknown>;
}

/**
 * Scale-out (issue 6 §4): the same campaign over the same real leads, once with one executor
 * and one analytics process, once with three executors and two analytics processes sharing
 * the work (one BullMQ queue, one Kafka consumer group). Both runs must deliver every step to
 * every lead exactly once, and analytics must equal that ground truth in both. A dailyLimit
 * run on the three executors then proves the quota holds exactly.
 */
describe('scale-out: 3 executors and 2 analytics processes give what 1 + 1 give', () => {
  let t: TestTenant;
  const emails = recipients('scaleout', CONTACTS);
  const tag = emails[0].split('@')[0].split('-').pop()!;
  let segmentId: string;
  const executors: ExecutorProcess[] = [];
  const analytics: ChildProcess[] = [];
  let single: RunOutcome;
  const tookOver = { executor: false, analytics: false };

  beforeAll(async () => {
    t = await createTenant('scale-out');
    for (let i = 0; i < emails.length; i += 20) {
      const batch = emails.slice(i, i + 20);
      const created = await Promise.all(
        batch.map((email, j) =>
          t.api.post('/api/v1/leads', {
            source: 'website_form',
            contact: { email, firstName: `Lead${i + j}` },
            consent: { email: true },
          }),
        ),
      );
      expect(created.map((r) => r.status)).toEqual(batch.map(() => 201));
    }
    const segment = await t.api.post('/api/v1/segments', {
      name: `Scale-out ${tag}`,
      rules: { combinator: 'and', rules: [{ field: 'email', operator: 'contains', value: tag }] },
    });
    segmentId = segment.body.data.id;
    expect((await t.api.get(`/api/v1/segments/${segmentId}/count`)).body.data.count).toBe(CONTACTS);
  });

  afterAll(async () => {
    await Promise.all([
      ...executors.map((e) => stopProcess(e.child)),
      ...analytics.map((a) => stopProcess(a)),
    ]);
    if (tookOver.executor) await restoreExecutor();
    if (tookOver.analytics) await restoreAnalytics();
  });

  async function createCampaign(name: string, settings: Record<string, unknown> = {}) {
    const created = await t.api.post('/api/v1/campaigns', {
      name,
      type: 'drip',
      fromEmail: 'news@scale.example',
      targetAudience: { segments: [segmentId] },
      settings: { trackOpens: true, trackClicks: false, ...settings },
    });
    expect(created.status).toBe(201);
    return created.body.data.id as string;
  }

  async function runReference(label: string): Promise<RunOutcome> {
    const id = await createCampaign(`Reference ${label}`);
    const ab = await t.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'email',
      variants: [
        { name: 'A', weight: 50, subject: 'S1 A', bodyHtml: '<p>A {{firstName}}</p>' },
        { name: 'B', weight: 50, subject: 'S1 B', bodyHtml: '<p>B {{firstName}}</p>' },
      ],
    });
    expect(ab.status).toBe(201);
    await t.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'email',
      subject: 'S2',
      bodyHtml: '<p>Second {{firstName}}</p>',
    });
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    await waitUntil(
      'completion',
      async () => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status,
      (s) => s === 'completed',
      120000,
    );
    await sleep(1000);
    const mail = await mailFor(emails);
    const mine = (list: any[]) => list.filter((m) => m.headers['x-campaign-id'] === id);

    // Opens really hit through the tracking pixel, for the first OPENERS recipients' step 1.
    const openedByVariant: Record<string, number> = { 'S1 A': 0, 'S1 B': 0 };
    for (const email of emails.slice(0, OPENERS)) {
      const first = mine(mail.get(email)!).find((m) => m.subject.startsWith('S1'));
      const pixel = (first.html as string).match(
        /http:\/\/127\.0\.0\.1:\d+\/t\/o\/[\w.-]+\.gif/,
      )![0];
      expect((await fetch(pixel)).status).toBe(200);
      openedByVariant[first.subject]++;
    }

    const perRecipient = new Map(
      emails.map((e) => [
        e,
        mine(mail.get(e)!)
          .map((m) => m.subject as string)
          .sort(),
      ]),
    );
    const bySubject: Record<string, number> = {};
    for (const subjects of perRecipient.values())
      for (const s of subjects) bySubject[s] = (bySubject[s] ?? 0) + 1;

    const variantIds = Object.fromEntries(
      ab.body.data.variants.map((v: { id: string; name: string }) => [v.id, `S1 ${v.name}`]),
    );
    const expected = {
      sent: CONTACTS * 2,
      delivered: CONTACTS * 2,
      opened: OPENERS,
      byStep: [CONTACTS, CONTACTS],
      byVariant: {
        'S1 A': { sent: bySubject['S1 A'], opened: openedByVariant['S1 A'] },
        'S1 B': { sent: bySubject['S1 B'], opened: openedByVariant['S1 B'] },
      },
    };
    const read = async () => {
      const m = (await t.api.get(`/api/v1/campaigns/${id}/performance`)).body.data.metrics;
      const a = (await t.api.get(`/api/v1/campaigns/${id}/analytics`)).body.data;
      const variants = (a.byVariant as any[]).flatMap((s) => s.variants);
      return {
        sent: m.sent,
        delivered: m.delivered,
        opened: m.opened,
        byStep: (a.byStep as any[]).map((s) => s.metrics.sent),
        byVariant: Object.fromEntries(
          variants
            .map((v) => [variantIds[v.variantId], { sent: v.sent, opened: v.opened }] as const)
            .sort(([x], [y]) => x.localeCompare(y)),
        ),
      };
    };
    const reported = await eventually(read, expected, 60000);
    expect(reported).toEqual(expected);
    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;
    expect(progress.progress.successful).toBe(CONTACTS * 2);
    return { perRecipient, bySubject, opened: reported.opened, analytics: reported };
  }

  it('one executor and one analytics process: every step to every lead once, analytics exact', async () => {
    single = await runReference('1+1');
    for (const email of emails) expect(single.perRecipient.get(email)).toHaveLength(2);
    expect(single.bySubject['S2']).toBe(CONTACTS);
    expect(single.bySubject['S1 A'] + single.bySubject['S1 B']).toBe(CONTACTS);
  });

  it('three executors and two analytics processes: the same deliveries and the same analytics', async () => {
    await takeOverExecutor();
    tookOver.executor = true;
    // Each process is kept as it comes up, so afterAll stops every one even if another fails.
    await Promise.all(
      [0, 1, 2].map(async (i) => executors.push(await startExecutor(i, REAL_LEADS))),
    );
    await takeOverAnalytics();
    tookOver.analytics = true;
    await Promise.all([0, 1].map(async (i) => analytics.push(await startAnalytics(i))));

    const scaled = await runReference('3+2');
    // The same shape of deliveries: each lead got exactly the steps it got with one of each
    // (step 1 in one variant, step 2), and the same totals per step.
    for (const email of emails) {
      const mine = scaled.perRecipient.get(email)!;
      expect(mine).toHaveLength(2);
      expect(mine[1]).toBe('S2');
      expect(mine[0]).toMatch(/^S1 [AB]$/);
    }
    expect(scaled.bySubject['S2']).toBe(single.bySubject['S2']);
    expect(scaled.bySubject['S1 A'] + scaled.bySubject['S1 B']).toBe(CONTACTS);
    expect(scaled.opened).toBe(single.opened);

    // Every executor sent part of it (from its own /metrics), and both analytics processes are
    // members of the one consumer group, each holding partitions.
    const sends = await Promise.all(
      executors.map((e) => metricSum(e.healthPort, 'executor_sends_total')),
    );
    expect(sends.reduce((a, b) => a + b, 0)).toBe(CONTACTS * 2);
    expect(sends.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    const health = await Promise.all(
      [TEST_PORTS.health.analytics, TEST_PORTS.health.analytics + 30].map(
        async (port) =>
          ((await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as any).checks,
      ),
    );
    expect(health.map((h) => h.ingestion.status)).toEqual(['ok', 'ok']);
    const groupId = health[0].ingestion.detail.groupId as string;
    expect(health[1].ingestion.detail.groupId).toBe(groupId);
    expect(await partitionsPerMember(groupId)).toEqual([expect.any(Number), expect.any(Number)]);
    expect((await partitionsPerMember(groupId)).every((n) => n > 0)).toBe(true);
  });

  it('dailyLimit holds exactly with three executors over the real leads', async () => {
    expect(executors).toHaveLength(3);
    const id = await createCampaign('Daily limited', { dailyLimit: 25, trackOpens: false });
    await t.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'email',
      subject: 'Limited',
      bodyText: 'x',
    });
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    const count = async () =>
      [...(await mailFor(emails)).values()].flat().filter((m) => m.headers['x-campaign-id'] === id)
        .length;
    await waitUntil('the day’s quota', count, (n) => n >= 25, 60000);
    await sleep(3000);
    expect(await count()).toBe(25);
    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;
    expect(progress.progress.successful).toBe(25);
    expect(progress.enrollments.active).toBe(CONTACTS - 25);
  });
});

/** Partitions each member of the consumer group holds, read from the broker. */
async function partitionsPerMember(groupId: string): Promise<number[]> {
  const admin = new Kafka({
    clientId: 'scale-out-test',
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0].members.map((m) => {
      const assignment = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      return Object.values(assignment?.assignment ?? {}).reduce((n, parts) => n + parts.length, 0);
    });
  } finally {
    await admin.disconnect();
  }
}

function readState(): { pids: Record<string, number> } {
  return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
}

/** Stops the analytics process global-setup started, so this suite's replicas are the only ones. */
async function takeOverAnalytics(): Promise<void> {
  const state = readState();
  if (state.pids.analytics) await stopProcess(state.pids.analytics);
  state.pids.analytics = 0;
  fs.writeFileSync(STATE_FILE, JSON.stringify(state));
}

/** Replica 0 takes the standard ports (the gateway reads from it); replica 1 only consumes. */
async function startAnalytics(index: number): Promise<ChildProcess> {
  const shift = index ? 30 : 0;
  const child = spawnApp(
    'analytics',
    {
      ANALYTICS_PORT: String(TEST_PORTS.analytics + shift),
      HEALTH_PORT: String(TEST_PORTS.health.analytics + shift),
    },
    `-replica-${index}`,
  );
  try {
    await waitForHealth(`http://127.0.0.1:${TEST_PORTS.health.analytics + shift}/health`, 60000);
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
  return child;
}

async function restoreAnalytics(): Promise<void> {
  const child = spawnApp('analytics');
  await waitForHealth(healthUrl('analytics'), 60000);
  const state = readState();
  state.pids.analytics = child.pid!;
  fs.writeFileSync(STATE_FILE, JSON.stringify(state));
}
