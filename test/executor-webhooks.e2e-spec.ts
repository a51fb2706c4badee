import { createTenant, stopProcess, TestTenant, testSql } from '@app/testing';
import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  ExecutorProcess,
  launchBroadcast,
  metricSum,
  recipients,
  restoreExecutor,
  REAL_LEADS,
  sleep,
  startExecutor,
  takeOverExecutor,
  waitUntil,
} from './executor-harness';
import { createLaunchable } from './fixtures';

jest.setTimeout(60000);

const GATE_MS = 200;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback (allowed by OUTBOUND_ALLOWLIST, see test-env); answers 500 `failures` times first. */
async function receiver() {
  const received: Received[] = [];
  const state = { failures: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = state.failures-- > 0 ? 500 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    received,
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
  };
}

const hmac = (secret: string, t: string, body: string) =>
  createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

function signatures(header: string) {
  const parts = header.split(',');
  return {
    t: parts.find((p) => p.startsWith('t='))!.slice(2),
    v1: parts.filter((p) => p.startsWith('v1=')).map((p) => p.slice(3)),
  };
}

describe('executor: outbound webhooks', () => {
  let t: TestTenant;
  let executor: ExecutorProcess;

  beforeAll(async () => {
    await takeOverExecutor();
    executor = await startExecutor(0, {
      ...REAL_LEADS,
      WEBHOOK_BACKOFF_MS: '200',
      TOPIC_GATE_MS: String(GATE_MS),
    });
    t = await createTenant('exec-hooks');
  });

  afterAll(async () => {
    await stopProcess(executor.child);
    await restoreExecutor();
  });

  it('CRUD: the secret is shown once, bad events and metadata addresses are refused, other tenants get 404', async () => {
    const hook = await receiver();
    const created = await t.api.post('/api/v1/webhooks', {
      url: hook.url,
      events: ['campaign.started'],
    });
    expect(created.status).toBe(201);
    expect(created.body.data.secret).toMatch(/^whsec_/);
    const list = await t.api.get('/api/v1/webhooks');
    expect(list.body.data.map((w: { id: string }) => w.id)).toContain(created.body.data.id);
    expect(JSON.stringify(list.body)).not.toContain(created.body.data.secret);
    expect(
      (await t.api.post('/api/v1/webhooks', { url: hook.url, events: ['campaign.exploded'] }))
        .status,
    ).toBe(400);
    const metadata = await t.api.post('/api/v1/webhooks', {
      url: 'http://169.254.169.254/latest',
      events: ['*'],
    });
    expect(metadata.status).toBe(400);
    expect(metadata.body.error.code).toBe('WEBHOOK_URL_BLOCKED');
    // Loopback is reachable only through the allow-list's entries: not another private range.
    const lan = await t.api.post('/api/v1/webhooks', {
      url: 'http://10.20.30.40/h',
      events: ['*'],
    });
    expect(lan.status).toBe(400);
    expect(lan.body.message).toContain('private address (10.20.30.40)');
    const other = await createTenant('exec-hooks-other');
    expect((await other.api.get(`/api/v1/webhooks/${created.body.data.id}`)).status).toBe(404);
    const patched = await t.api.patch(`/api/v1/webhooks/${created.body.data.id}`, {
      active: false,
    });
    expect(patched.body.data.active).toBe(false);
    expect((await t.api.delete(`/api/v1/webhooks/${created.body.data.id}`)).status).toBe(200);
    hook.server.close();
  });

  it('signs deliveries, retries failures with backoff, logs attempts, and double-signs during a rotation', async () => {
    const hook = await receiver();
    hook.state.failures = 1;
    const created = await t.api.post('/api/v1/webhooks', {
      url: hook.url,
      events: ['campaign.started', 'campaign.paused'],
    });
    const { id, secret } = created.body.data;
    const campaign = await createLaunchable(t.api, { type: 'broadcast' });
    expect((await t.api.post(`/api/v1/campaigns/${campaign.id}/launch`, {})).status).toBe(200);

    await waitUntil(
      'retried delivery',
      async () => hook.received.length,
      (n) => n >= 2,
      20000,
    );
    const [first, second] = hook.received;
    expect(second.body).toBe(first.body);
    const started = JSON.parse(second.body);
    expect(started).toMatchObject({ type: 'campaign.started', campaignId: campaign.id });
    expect(second.headers['x-webhook-event']).toBe('campaign.started');
    const sig = signatures(String(second.headers['x-webhook-signature']));
    expect(sig.v1).toEqual([hmac(secret, sig.t, second.body)]);
    expect(Math.abs(Number(sig.t) - Date.now() / 1000)).toBeLessThan(60);
    const log = await waitUntil(
      'log',
      async () => (await t.api.get(`/api/v1/webhooks/${id}/deliveries`)).body.data,
      (l: any[]) => l[0]?.status === 'succeeded',
    );
    expect(log[0]).toMatchObject({
      eventType: 'campaign.started',
      status: 'succeeded',
      attempts: 2,
      lastStatus: 200,
    });

    const rotated = await t.api.post(`/api/v1/webhooks/${id}/rotate-secret`, {
      overlapSeconds: 3600,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.secret).not.toBe(secret);
    expect(rotated.body.data.secretRotation.previousExpiresAt).toBeTruthy();
    expect((await t.api.post(`/api/v1/campaigns/${campaign.id}/pause`)).status).toBe(200);
    const paused = await waitUntil(
      'paused delivery',
      async () => hook.received.find((r) => JSON.parse(r.body).type === 'campaign.paused'),
      (r) => Boolean(r),
      20000,
    );
    const both = signatures(String(paused!.headers['x-webhook-signature']));
    expect(both.v1).toEqual([
      hmac(rotated.body.data.secret, both.t, paused!.body),
      hmac(secret, both.t, paused!.body),
    ]);
    hook.server.close();
  });

  it('skips message events while no webhook takes them, and delivers every one made after a webhook subscribed', async () => {
    const gateOpen = () => metricSum(executor.healthPort, 'executor_topic_gate_open');
    // Other suites' tenants may have left webhooks that take message events (the security
    // sweep makes some): while one is active, the gate rightly stays open.
    testSql(
      `UPDATE executor.webhooks SET active = false
        WHERE active AND events && ARRAY['*', 'message.queued', 'message.sent', 'message.delivered',
                                         'message.failed', 'message.bounced', 'message.uncertain']`,
    );
    await waitUntil('the message topic gated', gateOpen, (open) => open === 0, 10000);
    const email = { name: 'Gate', subject: 'Hi', bodyText: 'Hello' };
    const progressOf = async (id: string) =>
      (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data.progress;
    const before = await launchBroadcast(t, recipients('gate', 3, 'a'), email);
    await waitUntil(
      'first broadcast sent',
      () => progressOf(before),
      (p) => p.processed === 3,
    );
    // Its events reach Kafka and fall behind the gate's next move to the end.
    await sleep(2000 + 3 * GATE_MS);

    const hook = await receiver();
    const created = await t.api.post('/api/v1/webhooks', {
      url: hook.url,
      events: ['message.sent'],
    });
    expect(created.status).toBe(201);
    await waitUntil('the message topic read again', gateOpen, (open) => open === 1, 10000);
    await sleep(2100); // the fan-out caches a workspace's subscriptions for 2 s
    const after = await launchBroadcast(t, recipients('gate', 4, 'b'), email);
    await waitUntil(
      'message.sent deliveries',
      async () => hook.received.length,
      (n) => n >= 4,
      20000,
    );
    await sleep(1000);
    const events = hook.received.map((r) => JSON.parse(r.body));
    expect(events.map((e) => [e.type, e.campaignId])).toEqual(
      Array.from({ length: 4 }, () => ['message.sent', after]),
    );
    expect(new Set(events.map((e) => e.data.deliveryId)).size).toBe(4);

    expect((await t.api.delete(`/api/v1/webhooks/${created.body.data.id}`)).status).toBe(200);
    await waitUntil('gated again', gateOpen, (open) => open === 0, 10000);
    hook.server.close();
  });
});
