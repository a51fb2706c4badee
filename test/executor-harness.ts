import { AudienceContact, bareContact } from '@app/contracts';
import {
  spawnApp,
  TestTenant,
  STATE_FILE,
  stopProcess,
  testSql,
  TEST_PORTS,
  waitForHealth,
} from '@app/testing';
import { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';

/**
 * Executor e2e support. Suites seed real leads through the API (`seedSegment`, `seedLeads`,
 * `suppress`) and run their executors against the real leads service. The suite's own
 * executor replaces the one global-setup started, and the default one is put back afterwards.
 */
export const MAIL_API = 'http://127.0.0.1:1080';
/** The leads service the executors of a suite talk to (the stack's own). */
export const REAL_LEADS: NodeJS.ProcessEnv = { LEADS_PORT: String(TEST_PORTS.leads) };

/**
 * Creates each contact as a real, consented lead of the tenant's workspace (20 requests at a
 * time) and returns the lead ids in the same order.
 */
export async function seedLeads(t: TestTenant, contacts: AudienceContact[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < contacts.length; i += 20) {
    const batch = await Promise.all(
      contacts.slice(i, i + 20).map(async (c) => {
        const res = await t.api.post('/api/v1/leads', {
          source: c.source ?? 'website_form',
          contact: {
            email: c.email,
            ...(c.firstName !== null && { firstName: c.firstName }),
            ...(c.lastName !== null && { lastName: c.lastName }),
            ...(c.company !== null && { company: c.company }),
            ...(c.title !== null && { title: c.title }),
            ...(c.phone !== null && { phone: c.phone }),
          },
          ...(c.timezone !== null && { timezone: c.timezone }),
          customFields: c.customFields ?? {},
          consent: { email: true },
        });
        if (res.status !== 201) throw new Error(`seeding ${c.email}: ${res.status} ${res.text}`);
        return res.body.data.leadId as string;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

/** Real leads in a new static segment of their own; returns the segment id for targetAudience. */
export async function seedSegment(t: TestTenant, contacts: AudienceContact[]): Promise<string> {
  return segmentOf(t, await seedLeads(t, contacts));
}

/** A new static segment holding these leads. */
export async function segmentOf(t: TestTenant, leadIds: string[]): Promise<string> {
  const res = await t.api.post('/api/v1/segments', {
    name: `e2e ${randomBytes(4).toString('hex')}`,
    type: 'static',
    leadIds,
  });
  if (res.status !== 201) throw new Error(`segment: ${res.status} ${res.text}`);
  return res.body.data.id;
}

/**
 * A draft broadcast with one email step to these addresses (real leads in a static segment);
 * the caller launches it, now or at a time.
 */
export async function broadcastDraft(
  t: TestTenant,
  emails: string[],
  email: { name: string; subject: string; bodyText: string },
): Promise<string> {
  const segment = await seedSegment(
    t,
    emails.map((e) => contact(e)),
  );
  const created = await t.api.post('/api/v1/campaigns', {
    name: email.name,
    type: 'broadcast',
    fromEmail: 'news@acme.example',
    targetAudience: { segments: [segment] },
  });
  if (created.status !== 201) throw new Error(`campaign: ${created.status} ${created.text}`);
  const id = created.body.data.id as string;
  const step = await t.api.post(`/api/v1/campaigns/${id}/steps`, {
    type: 'email',
    subject: email.subject,
    bodyText: email.bodyText,
  });
  if (step.status !== 201) throw new Error(`step: ${step.status} ${step.text}`);
  return id;
}

/** The same broadcast, launched now. */
export async function launchBroadcast(
  t: TestTenant,
  emails: string[],
  email: { name: string; subject: string; bodyText: string },
): Promise<string> {
  const id = await broadcastDraft(t, emails, email);
  const res = await t.api.post(`/api/v1/campaigns/${id}/launch`, {});
  if (res.status !== 200) throw new Error(`launch: ${res.status} ${res.text}`);
  return id;
}

/** Suppresses an address in the leads service (as if it unsubscribed or bounced meanwhile). */
export async function suppress(
  t: TestTenant,
  email: string,
  reason: 'unsubscribed' | 'bounced' = 'unsubscribed',
): Promise<void> {
  const res = await t.api.post('/api/v1/suppressions', { email, reason });
  if (res.status !== 201) throw new Error(`suppress ${email}: ${res.status} ${res.text}`);
}

export function contact(email: string, fields: Partial<AudienceContact> = {}): AudienceContact {
  return bareContact(randomUUID(), email, { source: 'website_form', ...fields });
}

/** `n` unique recipients for one test: `<prefix>-<i>-<rand>@<test>.example`. */
export function recipients(test: string, n: number, prefix = 'r'): string[] {
  const tag = randomBytes(4).toString('hex');
  return Array.from({ length: n }, (_, i) => `${prefix}-${i}-${tag}@${test}.example`);
}

export interface ExecutorProcess {
  child: ChildProcess;
  healthPort: number;
}

/** Starts an executor replica (index 0 takes the standard ports the gateway talks to). */
export async function startExecutor(
  index = 0,
  env: NodeJS.ProcessEnv = {},
): Promise<ExecutorProcess> {
  const healthPort = index ? TEST_PORTS.health.executor + 30 + index : TEST_PORTS.health.executor;
  const child = spawnApp(
    'executor',
    {
      LEADS_PORT: String(TEST_PORTS.leads),
      EXECUTOR_PORT: String(index ? TEST_PORTS.executor + 30 + index : TEST_PORTS.executor),
      HEALTH_PORT: String(healthPort),
      ...env,
    },
    `-${index}`,
  );
  try {
    await waitForHealth(`http://127.0.0.1:${healthPort}/health`, 60000);
  } catch (err) {
    // Never leave a half-started replica behind: it would take the next suites' jobs.
    await stopProcess(child);
    throw err;
  }
  return { child, healthPort };
}

/** Stops the executor global-setup started, so this suite's executors are the only ones. */
export async function takeOverExecutor(): Promise<void> {
  const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  if (state.pids.executor) await stopProcess(state.pids.executor);
  state.pids.executor = 0;
  fs.writeFileSync(STATE_FILE, JSON.stringify(state));
}

/** Puts a default executor back for the suites that run after this one. */
export async function restoreExecutor(): Promise<void> {
  const child = spawnApp('executor');
  await waitForHealth(`http://127.0.0.1:${TEST_PORTS.health.executor}/health`, 60000);
  const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  state.pids.executor = child.pid;
  fs.writeFileSync(STATE_FILE, JSON.stringify(state));
}

export async function mailTo(address: string): Promise<any[]> {
  const res = await fetch(`${MAIL_API}/api/messages?to=${encodeURIComponent(address)}`);
  return (await res.json()) as any[];
}

export async function mailFor(addresses: string[]): Promise<Map<string, any[]>> {
  const entries = await Promise.all(addresses.map(async (a) => [a, await mailTo(a)] as const));
  return new Map(entries);
}

/**
 * How many copies each address got, in one catcher request per domain instead of one per
 * address: a probe that polls hundreds of addresses must not take longer than the sends it
 * watches (on a slow machine 300 requests per poll let a whole campaign finish in between).
 */
export async function deliveredCounts(addresses: string[]): Promise<Map<string, number>> {
  const domains = new Set(addresses.map((a) => a.slice(a.lastIndexOf('@') + 1).toLowerCase()));
  const seen = new Map<string, number>();
  for (const domain of domains) {
    const res = await fetch(`${MAIL_API}/api/recipients?domain=${encodeURIComponent(domain)}`);
    const body = (await res.json()) as { recipients: Record<string, number> };
    for (const [address, n] of Object.entries(body.recipients)) seen.set(address, n);
  }
  return new Map(addresses.map((a) => [a, seen.get(a.toLowerCase()) ?? 0]));
}

/** Total copies delivered to these addresses. */
export async function deliveredTotal(addresses: string[]): Promise<number> {
  return [...(await deliveredCounts(addresses)).values()].reduce((n, c) => n + c, 0);
}

export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
    value = await probe();
  }
  return value;
}

/** The tenant id behind a campaign (the API never shows it; events need it). */
export async function tenantOf(campaignId: string): Promise<string> {
  if (!/^[0-9a-f-]{36}$/.test(campaignId)) throw new Error(`not a campaign id: ${campaignId}`);
  return testSql(`SELECT tenant_id FROM campaigns.campaigns WHERE id = '${campaignId}'`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The sum of a Prometheus counter over all its labels, from an executor's /metrics. */
export async function metricSum(healthPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
  return [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'gm'))].reduce(
    (n, m) => n + Number(m[1]),
    0,
  );
}
