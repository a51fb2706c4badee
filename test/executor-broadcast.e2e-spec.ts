import { createTenant, KafkaCollector, stopProcess, TestTenant, testSql } from '@app/testing';
import { FOLD_PROGRESS_SHARDS } from '../apps/executor/src/lifecycle/progress-shards';
import {
  contact,
  ExecutorProcess,
  mailFor,
  REAL_LEADS,
  recipients,
  restoreExecutor,
  seedLeads,
  seedSegment,
  sleep,
  startExecutor,
  suppress,
  takeOverExecutor,
  waitUntil,
} from './executor-harness';

jest.setTimeout(60000);

describe('executor: broadcast to a segment', () => {
  let t: TestTenant;
  let executor: ExecutorProcess;

  beforeAll(async () => {
    await takeOverExecutor();
    // 4 sends a second, so the send-time suppression test can pause with contacts still unsent.
    executor = await startExecutor(0, { ...REAL_LEADS, SEND_RATE_PER_SECOND: '4' });
    t = await createTenant('exec-bc');
  });

  afterAll(async () => {
    await stopProcess(executor.child);
    await restoreExecutor();
  });

  async function launchBroadcast(segment: string, extra: Record<string, unknown> = {}) {
    const created = await t.api.post('/api/v1/campaigns', {
      name: 'Spring broadcast',
      type: 'broadcast',
      fromEmail: 'news@acme.example',
      fromName: 'Acme News',
      targetAudience: { segments: [segment] },
      settings: { trackOpens: true, trackClicks: true },
      ...extra,
    });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    const step = await t.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'email',
      subject: 'Hello {{firstName|there}}',
      bodyHtml:
        '<p>Hi {{firstName|there}} from {{company|your team}}</p><a href="https://acme.example/offer">Offer</a>',
      bodyText: 'Hi {{firstName|there}}',
    });
    expect(step.status).toBe(201);
    const launched = await t.api.post(`/api/v1/campaigns/${id}/launch`, {});
    expect(launched.status).toBe(200);
    // Seed 004's execute answer: the launch's id; its end is unknown before anything is sent.
    expect(launched.body.data.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(launched.body.data.estimatedCompletion).toBeNull();
    executions.set(id, launched.body.data.executionId);
    return id as string;
  }
  const executions = new Map<string, string>();

  it('sends exactly one personalised email to each contact of the segment, then completes', async () => {
    const emails = recipients('broadcast', 6);
    const outside = recipients('broadcast', 2, 'other');
    const segment = await seedSegment(
      t,
      emails.map((email, i) =>
        contact(email, { firstName: i === 0 ? null : `Ann<${i}>`, company: 'Acme' }),
      ),
    );
    await seedLeads(
      t,
      outside.map((email) => contact(email)),
    );
    const id = await launchBroadcast(segment);

    const mail = await waitUntil(
      'all emails',
      () => mailFor(emails),
      (m) => [...m.values()].every((l) => l.length >= 1),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const after = await mailFor([...emails, ...outside]);
    for (const email of emails) expect(after.get(email)).toHaveLength(1);
    for (const email of outside) expect(after.get(email)).toHaveLength(0);

    const first = mail.get(emails[0])![0];
    expect(first.subject).toBe('Hello there');
    expect(first.from).toBe('news@acme.example');
    const second = mail.get(emails[1])![0];
    expect(second.subject).toBe('Hello Ann<1>');
    expect(second.html).toContain('Hi Ann&lt;1&gt; from Acme');
    expect(second.text).toContain('Hi Ann<1>');
    expect(second.headers['list-unsubscribe']).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/t\/u\/[\w-]+\.[\w-]+>$/,
    );
    expect(second.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(second.headers['x-campaign-id']).toBe(id);
    expect(second.html).toMatch(/<img src="http:\/\/127\.0\.0\.1:\d+\/t\/o\/[\w.-]+\.gif"/);
    expect(second.html).not.toContain('href="https://acme.example/offer"');
    expect(second.html).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/t\/c\/[\w.-]+"/);

    await waitUntil(
      'completion',
      async () => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status,
      (s) => s === 'completed',
      20000,
    );
    const progress = await t.api.get(`/api/v1/campaigns/${id}/progress`);
    expect(progress.status).toBe(200);
    expect(progress.body.data).toMatchObject({
      executionId: executions.get(id),
      status: 'completed',
      progress: { processed: 6, total: 6, successful: 6, failed: 0, percentage: 100 },
      enrollments: { completed: 6 },
    });
    const campaign = (await t.api.get(`/api/v1/campaigns/${id}`)).body.data;
    expect(campaign.launch.executionId).toBe(executions.get(id));
    // Six sends within the last minute: the rate comes from the counters' 10-second buckets.
    expect(progress.body.data.currentRate).toBeGreaterThan(0);

    // Folding the counter rows of backends that have gone (pids above the kernel's maximum
    // here) into shard 0 changes no reading, and leaves a live backend's rows alone.
    const counterRows = () =>
      testSql(
        `SELECT shard = 0, count(*) FROM executor.progress_counters
          WHERE campaign_id = '${id}' AND kind <> 'sent_10s' GROUP BY 1 ORDER BY 1`,
      );
    testSql(
      `UPDATE executor.progress_counters SET shard = 2000000000 + shard
        WHERE campaign_id = '${id}' AND kind <> 'sent_10s';
       INSERT INTO executor.progress_counters (campaign_id, kind, status, shard, n)
       SELECT '${id}'::uuid, 'delivery', 'skipped', 2100000000, 1 UNION ALL
       SELECT '${id}', 'delivery', 'skipped', 2100000001, -1 UNION ALL
       SELECT gen_random_uuid(), 'delivery', 'sent', pid, 3 FROM pg_stat_activity
        WHERE backend_type = 'checkpointer'`,
    );
    expect(counterRows()).toMatch(/^f\|\d+$/);
    for (const sql of FOLD_PROGRESS_SHARDS) testSql(sql);
    expect(counterRows()).toMatch(/^t\|\d+$/);
    // The dead shards' +1 and -1 met in one folded row of 0, which is not kept.
    expect(
      testSql(
        `SELECT count(*) FROM executor.progress_counters WHERE campaign_id = '${id}' AND n = 0`,
      ),
    ).toBe('0');
    const live = `FROM executor.progress_counters WHERE shard = (SELECT pid FROM pg_stat_activity
                   WHERE backend_type = 'checkpointer')`;
    expect(testSql(`SELECT sum(n) ${live}`)).toBe('3');
    testSql(`DELETE ${live}`);
    const folded = await t.api.get(`/api/v1/campaigns/${id}/progress`);
    expect(folded.body.data.progress).toEqual(progress.body.data.progress);
    expect(folded.body.data.enrollments).toEqual(progress.body.data.enrollments);
    expect(folded.body.data.errors).toEqual(progress.body.data.errors);
  });

  it('re-checks suppression at send time and records bounces by code', async () => {
    // Enrolled while mailable, paused with contacts still unsent (4 sends a second), one of
    // those suppressed in the leads service, resumed: the send-time check must stop it.
    const ok = recipients('suppress', 12);
    const [bounce] = recipients('suppress', 1, 'bounce');
    const segment = await seedSegment(
      t,
      [...ok, bounce].map((email) => contact(email)),
    );
    const id = await launchBroadcast(segment, {
      settings: { trackOpens: false, sendWindow: undefined },
    });
    await waitUntil(
      'enrollment',
      async () => (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data,
      (p) => p.progress.total === 13,
      10000,
    );
    expect((await t.api.post(`/api/v1/campaigns/${id}/pause`)).status).toBe(200);
    await sleep(1500);
    const unsent = [...(await mailFor(ok)).entries()].filter(([, l]) => !l.length).map(([e]) => e);
    expect(unsent.length).toBeGreaterThan(0);
    const late = unsent[0];
    await suppress(t, late);
    expect((await t.api.post(`/api/v1/campaigns/${id}/resume`)).status).toBe(200);
    const progress = await waitUntil(
      'progress',
      async () => (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data,
      (p) => p.progress.processed === 13,
      20000,
    );
    const mail = await mailFor([...ok, bounce]);
    expect(mail.get(late)).toHaveLength(0);
    for (const email of ok.filter((e) => e !== late)) expect(mail.get(email)).toHaveLength(1);
    expect(progress.progress).toMatchObject({ successful: 11, failed: 1, skipped: 1 });
    // The counters the triggers keep agree with the ledger rows, status by status.
    const ledger = Object.fromEntries(
      testSql(
        `SELECT status, count(*) FROM executor.deliveries WHERE campaign_id = '${id}' GROUP BY status`,
      )
        .split('\n')
        .map((line) => line.split('|'))
        .map(([s, n]) => [s, Number(n)]),
    );
    expect(ledger).toEqual({ sent: 11, failed: 1, skipped: 1 });
    expect(progress.errors.map((e: { code: string }) => e.code).sort()).toEqual([
      'SMTP_550',
      'SUPPRESSED',
    ]);
  });

  it('tracks opens and clicks, redirects only to the stored link, and honours one-click unsubscribe', async () => {
    const events = new KafkaCollector(['test.engagement.events']);
    await events.start();
    const [email] = recipients('tracking', 1);
    const segment = await seedSegment(t, [contact(email, { firstName: 'Uma' })]);
    const id = await launchBroadcast(segment);
    const [mail] = (
      await waitUntil(
        'mail',
        () => mailFor([email]),
        (m) => m.get(email)!.length === 1,
      )
    ).get(email)!;
    const pixel = /<img src="([^"]+)"/.exec(mail.html)![1];
    const click = /href="([^"]+\/t\/c\/[^"]+)"/.exec(mail.html)![1];
    const unsubscribe = /^<(.+)>$/.exec(mail.headers['list-unsubscribe'])![1];

    const open = await fetch(pixel);
    expect(open.status).toBe(200);
    expect(open.headers.get('content-type')).toBe('image/gif');
    const redirect = await fetch(click, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('https://acme.example/offer');
    const forged = click.replace(/\.([\w-]+)$/, '.AAAAAAAAAAAAAAAAAAAAAA');
    expect((await fetch(forged, { redirect: 'manual' })).status).toBe(404);
    expect(
      (await fetch(`${click}?url=https://evil.example`, { redirect: 'manual' })).headers.get(
        'location',
      ),
    ).toBe('https://acme.example/offer');

    const pageRes = await fetch(unsubscribe);
    expect(pageRes.status).toBe(200);
    expect(await pageRes.text()).toContain('<form method="post">');
    const oneClick = await fetch(unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    // The recipient then also submits the page's form: still unsubscribed, counted once.
    expect((await fetch(unsubscribe, { method: 'POST' })).status).toBe(200);
    // A second open afterwards: its event comes after anything the second unsubscribe emitted.
    expect((await fetch(pixel)).status).toBe(200);
    const mine = (type: string) =>
      events.events.filter((e) => e.value.type === type && e.value.campaignId === id);
    await waitUntil(
      'engagement events',
      async () => mine('engagement.opened').length,
      (n) => n === 2,
    );
    expect(mine('engagement.clicked')).toHaveLength(2); // the link, then with ?url=…
    expect(mine('engagement.unsubscribed')).toHaveLength(1);
    await events.stop();

    // The unsubscribe reaches the leads service, so the next campaign to the address sends nothing.
    await waitUntil(
      'leads suppression',
      async () => (await t.api.get('/api/v1/suppressions?reason=unsubscribed')).body.data,
      (list: Array<{ email: string }>) => list.some((x) => x.email === email.toLowerCase()),
    );
    const next = await launchBroadcast(segment);
    const progress = await waitUntil(
      'the next campaign',
      async () => (await t.api.get(`/api/v1/campaigns/${next}/progress`)).body.data,
      (p) => p.status === 'completed',
      20000,
    );
    expect(progress.progress.successful).toBe(0);
    expect((await mailFor([email])).get(email)).toHaveLength(1);
  });

  it('answers 404 for the progress of another tenant’s campaign', async () => {
    const other = await createTenant('exec-bc-other');
    const segment = await seedSegment(t, [contact(recipients('foreign', 1)[0])]);
    const id = await launchBroadcast(segment);
    expect((await other.api.get(`/api/v1/campaigns/${id}/progress`)).status).toBe(404);
  });
});
