'use strict';
// The executor benchmarks' own stack: campaigns, executor and gateway against a database,
// Redis db, queue prefix, ports and SMTP catcher of their own; the audience comes from a
// stand-in for the leads RPC served by the bench process (same contract, real TCP).
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { cpuSeconds } = require('../lib/measure');
const { stopStrays } = require('../lib/strays');
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { Controller, Module } = require('@nestjs/common');
const { MessagePattern, Transport } = require('@nestjs/microservices');
// Contacts as the audience `copy` format (COPY text, AUDIENCE_COPY_COLUMNS), built per request.
const { contactsAsCopy } = require('../../dist/apps/executor/src/enrollment/enrollment.sql');

const root = path.resolve(__dirname, '../..');
// BENCH_INSTANCE (0-5, default 0) gives a run its own database, Redis db, ports and logs, so two
// people can run these benchmarks on one machine without dropping each other's database.
const INSTANCE = Number(process.env.BENCH_INSTANCE ?? 0);
if (!Number.isInteger(INSTANCE) || INSTANCE < 0 || INSTANCE > 5) throw new Error('BENCH_INSTANCE must be 0-5');
const at = (classic, offset) => (INSTANCE ? 20000 + INSTANCE * 100 + offset : classic);
const LOG_DIR = path.join(os.tmpdir(), `campaign-platform-bench-executor${INSTANCE ? `-${INSTANCE}` : ''}`);
const DB = `campaign_bench_executor${INSTANCE ? `_${INSTANCE}` : ''}`;
const REDIS_DB = String(10 + INSTANCE);
const PORTS = { gateway: at(3980, 0), campaigns: at(4981, 1), leads: at(4982, 2), analytics: at(4983, 3), executor: at(4984, 4) };
const HEALTH = { campaigns: at(4985, 5), executor: at(4988, 8) };
const SMTP = { port: at(2526, 26), http: at(2581, 81) };
/** The HTTP channel's no-op receiver. */
const RECEIVER_PORT = at(2590, 90);
const gatewayUrl = `http://127.0.0.1:${PORTS.gateway}`;

function env(extra = {}) {
  return {
    ...process.env,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DB}`,
    DATABASE_POOL_SIZE: '30',
    REDIS_URL: `redis://127.0.0.1:6379/${REDIS_DB}`,
    QUEUE_PREFIX: `{cpbenchexec${INSTANCE || ''}}`,
    KAFKA_TOPIC_PREFIX: INSTANCE ? `bench${INSTANCE}.` : 'bench.',
    KAFKA_CLIENT_ID: `bench-executor${INSTANCE || ''}`,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
    PORT: String(PORTS.gateway),
    PUBLIC_API_URL: gatewayUrl,
    CAMPAIGNS_PORT: String(PORTS.campaigns),
    LEADS_PORT: String(PORTS.leads),
    ANALYTICS_PORT: String(PORTS.analytics),
    EXECUTOR_PORT: String(PORTS.executor),
    SMTP_PORT: String(SMTP.port),
    // The no-op HTTP receiver listens on loopback: reachable through the SSRF guard's allow-list.
    OUTBOUND_ALLOWLIST: '127.0.0.1/32',
    ...extra,
  };
}

const children = [];
function start(script, extra = {}, name = path.basename(path.dirname(script)), nodeArgs = []) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const log = fs.openSync(path.join(LOG_DIR, `${name}.log`), 'w');
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, script)], { cwd: root, env: env(extra), stdio: ['ignore', log, log] });
  fs.closeSync(log);
  children.push(child);
  return child;
}

async function waitFor(url, timeoutMs = 90000, ok = (res) => res.ok) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (ok(await fetch(url))) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (logs in ${LOG_DIR})`);
}

/** The leads RPC stand-in: pages of the bench audience by keyset, everyone mailable. */
function fakeLeads(audience) {
  class FakeLeads {
    resolve({ data }) {
      const from = data.afterId ? firstAfter(audience, data.afterId) : 0;
      const page = audience.slice(from, from + (data.limit ?? 50000));
      const more = from + page.length < audience.length;
      const nextAfterId = more ? page[page.length - 1].id : null;
      if (data.format !== 'copy') return { contacts: page, nextAfterId };
      return { contacts: [], copy: contactsAsCopy(page), nextAfterId };
    }
    sendable() {
      return { blocked: [] };
    }
  }
  for (const [method, pattern] of [['resolve', 'leads.audience.resolve'], ['sendable', 'leads.sendable.check']]) {
    MessagePattern(pattern)(FakeLeads.prototype, method, Object.getOwnPropertyDescriptor(FakeLeads.prototype, method));
  }
  Controller()(FakeLeads);
  class FakeLeadsModule {}
  Module({ controllers: [FakeLeads] })(FakeLeadsModule);
  return NestFactory.createMicroservice(FakeLeadsModule, {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: PORTS.leads },
    logger: false,
  });
}

/** Index of the first contact whose id sorts after `id` (binary search: the ids are sorted). */
function firstAfter(audience, id) {
  let lo = 0;
  let hi = audience.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (audience[mid].id > id) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Sorted ids so keyset pagination works: 00000000-0000-4000-8000-<n in hex>. */
function audienceOf(n, email) {
  return Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    email: email(i),
    firstName: `Bench${i}`,
    lastName: null,
    company: 'Bench Inc',
    title: null,
    phone: null,
    timezone: null,
    source: 'bench',
    segmentId: null,
    customFields: {},
  }));
}

/**
 * Starts the stack. `executorArgs` are node flags for the executor (e.g. --cpu-prof).
 */
async function up({ executorEnv = {}, audience, executorArgs = [] }) {
  stopStrays(env().QUEUE_PREFIX);
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qAtc', `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`]);
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qAtc', `CREATE DATABASE ${DB}`]);
  execFileSync('redis-cli', ['-n', REDIS_DB, 'FLUSHDB']);
  const leads = await fakeLeads(audience);
  await leads.listen();
  try {
    return await startApps(leads, executorEnv, executorArgs);
  } catch (err) {
    // A stack that never came up is stopped too: nothing is left running after a failed start.
    await down(leads);
    throw err;
  }
}

async function startApps(leads, executorEnv, executorArgs) {
  start('scripts/mail-catcher.js', { SMTP_PORT: String(SMTP.port), MAILCATCHER_HTTP_PORT: String(SMTP.http), MAILCATCHER_MAX_MESSAGES: '300000' }, 'mail-catcher');
  start('dist/apps/campaigns/main.js', { HEALTH_PORT: String(HEALTH.campaigns) });
  const executor = start('dist/apps/executor/main.js', { HEALTH_PORT: String(HEALTH.executor), ...executorEnv }, 'executor', executorArgs);
  await waitFor(`http://127.0.0.1:${HEALTH.campaigns}/health`);
  await waitFor(`http://127.0.0.1:${HEALTH.executor}/health`);
  start('dist/apps/gateway/main.js');
  // The gateway's /health also wants leads and analytics, which this stack does not run.
  await waitFor(`${gatewayUrl}/api/v1/campaigns`, 90000, (res) => res.status === 401);
  await waitFor(`http://127.0.0.1:${SMTP.http}/health`);
  return { leads, executor, catcher: children.find((c) => c.spawnargs.some((a) => a.endsWith('mail-catcher.js'))), key: await tenantKey() };
}

async function tenantKey() {
  const slug = `bench-${Date.now().toString(36)}`;
  const out = execFileSync(process.execPath, [path.join(root, 'dist/apps/campaigns/src/cli/admin-cli.js'), 'api-key', 'create', '--tenant', slug, '--admin'], { env: env() });
  const adminKey = out.toString().trim().split('\n').pop();
  const ws = await api(adminKey, 'POST', '/api/v1/admin/workspaces', { slug: 'main', name: 'Main' });
  const key = await api(adminKey, 'POST', `/api/v1/admin/workspaces/${ws.id}/api-keys`, { name: 'bench' });
  return key.key;
}

async function api(key, method, route, body) {
  const res = await fetch(gatewayUrl + route, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** Resident set size of a process in MB (Linux /proc). */
function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

/** Events written to the executor's outbox and not yet published to Kafka (packed rows count their events). */
function outboxBacklog() {
  const out = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', DB, '-qAtc', "SELECT coalesce(sum(CASE WHEN lines IS NOT NULL THEN line_count WHEN jsonb_typeof(payload) = 'array' THEN jsonb_array_length(payload) ELSE 1 END), 0) FROM executor.outbox"]);
  return Number(out.toString().trim());
}

/**
 * When a campaign's first and last outcomes were recorded (epoch ms, from `finished_at`, which
 * the outcome statement sets as it starts, a few ms before its commit).
 */
function sendTimes(campaignId) {
  const out = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', DB, '-qAtc', `SELECT extract(epoch FROM min(finished_at)) * 1000, extract(epoch FROM max(finished_at)) * 1000 FROM executor.deliveries WHERE campaign_id = '${campaignId}'`]);
  const [first, last] = out.toString().trim().split('|').map(Number);
  return { first, last };
}

/** Stops every process this stack started and waits until each has exited (profiles written). */
async function down(leads) {
  const exited = children.reverse().map((child) =>
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)),
  );
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([leads?.close(), new Promise((r) => setTimeout(r, 5000))]);
  await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, 20000))]);
  children.length = 0;
}

module.exports = { up, down, api, audienceOf, rssMb, cpuSeconds, outboxBacklog, sendTimes, SMTP, LOG_DIR, PORTS, HEALTH, DB, REDIS_DB, RECEIVER_PORT, env };
