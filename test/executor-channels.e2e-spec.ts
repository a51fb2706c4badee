import { createTenant, stopProcess, TestTenant } from '@app/testing';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
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

jest.setTimeout(60000);

describe('executor: HTTP channel, failure streaks, inbound replies', () => {
  let t: TestTenant;
  let executor: ExecutorProcess;

  const executorEnv = {
    MAX_CONSECUTIVE_FAILURES: '5',
    SEND_RATE_PER_SECOND: '20',
    SEND_ATTEMPTS: '3',
    SEND_BACKOFF_MS: '200',
  };

  beforeAll(async () => {
    await takeOverExecutor();
    executor = await startExecutor(0, { ...REAL_LEADS, ...executorEnv });
    t = await createTenant('exec-chan');
  });

  afterAll(async () => {
    await stopProcess(executor.child);
    await restoreExecutor();
  });

  async function launch(
    emails: string[],
    steps: Record<string, unknown>[],
    extra: Record<string, unknown> = {},
  ) {
    const segment = await seedSegment(
      t,
      emails.map((e) => contact(e, { firstName: 'Hal' })),
    );
    const created = await t.api.post('/api/v1/campaigns', {
      name: 'Channels',
      type: 'drip',
      fromEmail: 'news@acme.example',
      targetAudience: { segments: [segment] },
      ...extra,
    });
    const id = created.body.data.id as string;
    for (const step of steps)
      expect((await t.api.post(`/api/v1/campaigns/${id}/steps`, step)).status).toBe(201);
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    return id;
  }

  const progress = async (id: string) =>
    (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;

  it('HTTP channel: one POST per contact with its data and an idempotency key', async () => {
    const received: { key: string; body: any }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(body) });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`;
    const emails = recipients('http', 3);
    const id = await launch(emails, [{ type: 'webhook', webhook: { url } }]);
    await waitUntil(
      'posts',
      async () => received.length,
      (n) => n >= 3,
    );
    const p = await waitUntil(
      'progress',
      () => progress(id),
      (x) => x.progress.processed === 3,
    );
    expect(p.progress.successful).toBe(3);
    expect(received.map((r) => r.body.contact.email).sort()).toEqual([...emails].sort());
    expect(new Set(received.map((r) => r.key)).size).toBe(3);
    expect(received[0].body).toMatchObject({ campaignId: id, contact: { firstName: 'Hal' } });
    server.close();
  });

  it('HTTP channel with batchSize: messages ready together share a POST, each delivered once, each with its own outcome', async () => {
    const posts: { size: string; key: string; messages: any[] }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const { messages } = JSON.parse(body);
        posts.push({
          size: String(req.headers['x-batch-size']),
          key: String(req.headers['idempotency-key']),
          messages,
        });
        // The receiver refuses one contact and says so for that message alone.
        const results = messages.map((m: any) => ({
          deliveryId: m.deliveryId,
          status: m.contact.email.startsWith('refused') ? 422 : 202,
          messageId: `rcv-${m.deliveryId}`,
        }));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ results }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/batch`;
    const emails = [...recipients('batch', 6), ...recipients('batch', 1, 'refused')];
    const id = await launch(emails, [{ type: 'webhook', webhook: { url, batchSize: 3 } }]);
    const p = await waitUntil(
      'progress',
      () => progress(id),
      (x) => x.progress.processed === 7,
    );
    expect(p.progress).toMatchObject({ successful: 6, failed: 1 });
    expect(p.errors[0].code).toBe('HTTP_422');
    const delivered = posts.flatMap((x) => x.messages);
    expect(delivered.map((m) => m.contact.email).sort()).toEqual([...emails].sort());
    expect(new Set(delivered.map((m) => m.deliveryId)).size).toBe(7);
    for (const post of posts) {
      expect(post.messages.length).toBeLessThanOrEqual(3);
      expect(post.size).toBe(String(post.messages.length));
      expect(post.key).toMatch(/^batch-/);
    }
    // Fewer POSTs than messages: the steps of one send job went together.
    expect(posts.length).toBeLessThan(7);
    expect(delivered[0]).toMatchObject({ campaignId: id, contact: { firstName: 'Hal' } });

    const draft = (await t.api.post('/api/v1/campaigns', { name: 'Batch', type: 'drip' })).body
      .data;
    const bad = await t.api.post(`/api/v1/campaigns/${draft.id}/steps`, {
      type: 'webhook',
      webhook: { url, batchSize: 0 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('batchSize');
    server.close();
  });

  it('SSRF guard: private and metadata targets are refused at save (400) and at send (SSRF_BLOCKED), loopback only through the allow-list', async () => {
    const created = await t.api.post('/api/v1/campaigns', { name: 'SSRF', type: 'drip' });
    const id = created.body.data.id as string;
    for (const [url, kind] of [
      ['http://169.254.169.254/latest/meta-data', 'metadata'],
      ['http://10.1.2.3/hook', 'private'],
      ['http://[::ffff:192.168.0.10]/hook', 'private'],
      ['http://127.0.0.2:8080/hook', 'loopback'],
    ]) {
      const res = await t.api.post(`/api/v1/campaigns/${id}/steps`, {
        type: 'webhook',
        webhook: { url },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('OUTBOUND_URL_BLOCKED');
      expect(res.body.error.details[0]).toMatchObject({ field: 'webhook.url' });
      expect(res.body.message).toContain(`a ${kind} address`);
    }
    expect((await t.api.get(`/api/v1/campaigns/${id}/steps`)).body.data).toEqual([]);
    const other = await createTenant('exec-chan-other');
    const foreign = await other.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'webhook',
      webhook: { url: 'http://10.1.2.3/hook' },
    });
    expect(foreign.status).toBe(404);

    // At send time: a step saved while 127.0.0.2 was on the allow-list, sent after it left it
    // (the same holds for a name that resolves elsewhere later): refused, nothing posted.
    let posts = 0;
    const server = http.createServer((req, res) => {
      posts++;
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
    const url = `http://127.0.0.2:${(server.address() as AddressInfo).port}/inbox`;
    await stopProcess(executor.child);
    executor = await startExecutor(0, {
      ...REAL_LEADS,
      ...executorEnv,
      OUTBOUND_ALLOWLIST: '127.0.0.1/32,::1,127.0.0.2',
    });
    const emails = recipients('ssrf', 2);
    const segment = await seedSegment(
      t,
      emails.map((e) => contact(e)),
    );
    const campaign = await t.api.post('/api/v1/campaigns', {
      name: 'SSRF at send',
      type: 'drip',
      fromEmail: 'news@acme.example',
      targetAudience: { segments: [segment] },
    });
    const cid = campaign.body.data.id as string;
    const saved = await t.api.post(`/api/v1/campaigns/${cid}/steps`, {
      type: 'webhook',
      webhook: { url },
    });
    expect(saved.status).toBe(201);
    await stopProcess(executor.child);
    executor = await startExecutor(0, { ...REAL_LEADS, ...executorEnv });
    expect((await t.api.post(`/api/v1/campaigns/${cid}/launch`, {})).status).toBe(200);
    const p = await waitUntil(
      'refused sends',
      () => progress(cid),
      (x) => x.progress.processed === 2,
      30000,
    );
    expect(p.progress).toMatchObject({ successful: 0, failed: 2 });
    expect(p.errors[0].code).toBe('SSRF_BLOCKED');
    expect(p.errors[0].message).toContain('127.0.0.2 resolves to a loopback address');
    expect(posts).toBe(0);
    server.close();
  });

  it('a temporary refusal (SMTP 451) is retried with backoff, then fails with its reason', async () => {
    const [temp] = recipients('retry', 1, 'tempfail');
    const [ok] = recipients('retry', 1);
    const id = await launch([temp, ok], [{ type: 'email', subject: 'Retry', bodyText: 'x' }]);
    const p = await waitUntil(
      'outcomes',
      () => progress(id),
      (x) => x.progress.processed === 2,
      30000,
    );
    expect(p.progress).toMatchObject({ successful: 1, failed: 1 });
    expect(p.errors[0].code).toBe('SMTP_451');
    expect(p.errors[0].message).toMatch(/^gave up after 3 attempts/);
    expect((await mailFor([ok, temp])).get(ok)).toHaveLength(1);
  });

  it('a run of permanent failures auto-pauses the campaign with a reason', async () => {
    const bounces = recipients('streak', 40, 'bounce');
    const id = await launch(bounces, [{ type: 'email', subject: 'x', bodyText: 'x' }]);
    const campaign = await waitUntil(
      'auto-pause',
      async () => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data,
      (c) => c.status === 'paused',
      30000,
    );
    // Concurrent failures race to pause: the reason carries the streak length the winner saw.
    const streak =
      /^Auto-paused after (\d+) consecutive failed sends \(last error: SMTP_550\)$/.exec(
        campaign.statusReason,
      );
    expect(Number(streak?.[1])).toBeGreaterThanOrEqual(5);
    await new Promise((r) => setTimeout(r, 1500));
    const p = await progress(id);
    expect(p.progress.failed).toBeGreaterThanOrEqual(5);
    expect(p.progress.failed).toBeLessThan(40);
    expect(p.errors[0]).toMatchObject({ code: 'SMTP_550' });
  });

  it('an inbound reply stops the sequence (stopOnReply); other workspaces cannot report it', async () => {
    const [email] = recipients('reply', 1);
    const id = await launch(
      [email],
      [
        { type: 'email', subject: 'First', bodyText: 'one' },
        { type: 'wait', delay: { amount: 30, unit: 'minutes' } },
        { type: 'email', subject: 'Second', bodyText: 'two' },
      ],
      { settings: { stopOnReply: true } },
    );
    const mail = await waitUntil(
      'first',
      () => mailFor([email]),
      (m) => m.get(email)!.length === 1,
    );
    const deliveryId = mail.get(email)![0].headers['x-delivery-id'];
    const other = await createTenant('exec-chan-other');
    const foreign = await other.api.post('/api/v1/inbound/events', {
      events: [{ type: 'reply', deliveryId }],
    });
    expect(foreign.body.data.results[0].applied).toBe(false);
    const res = await t.api.post('/api/v1/inbound/events', {
      events: [{ type: 'reply', deliveryId }],
    });
    expect(res.status).toBe(200);
    expect(res.body.data.results[0]).toMatchObject({ deliveryId, applied: true });
    const p = await waitUntil(
      'stopped',
      () => progress(id),
      (x) => x.enrollments.stopped === 1,
    );
    expect(p.enrollments.active ?? 0).toBe(0);
    expect(
      (await t.api.post('/api/v1/inbound/events', { events: [{ type: 'nope', deliveryId }] }))
        .status,
    ).toBe(400);
  });
});
