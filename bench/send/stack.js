'use strict';
// The executor benchmarks' own stack: campaigns, executor and gateway against a database,
// Redis db, queue prefix, ports and SMTP catcher of their own; the audience comes from a
// stand-in for the leads RPC served by the bench process (same contract, real TCP).
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { Controller, Module } = require('@nestjs/common');
const { MessagePattern, Transport } = require('@nestjs/microservices');

const root = path.resolve(__dirname, '../..');
const LOG_DIR = path.join(os.tmpdir(), 'campaign-platform-bench-executor');
const DB = 'campaign_bench_executor';
const PORTS = { gateway: 3980, campaigns: 4981, leads: 4982, analytics: 4983, executor: 4984 };
const HEALTH = { campaigns: 4985, executor: 4988 };
const SMTP = { port: 2526, http: 2581 };
const gatewayUrl = `http://127.0.0.1:${PORTS.gateway}`;

function env(extra = {}) {
  return {
    ...process.env,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DB}`,
    DATABASE_POOL_SIZE: '30',
    REDIS_URL: 'redis://127.0.0.1:6379/10',
    QUEUE_PREFIX: '{cpbenchexec}',
    KAFKA_TOPIC_PREFIX: 'bench.',
    KAFKA_CLIENT_ID: 'bench-executor',
    LOG_LEVEL: 'warn',
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
function start(script, extra = {}, name = path.basename(path.dirname(script))) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const log = fs.openSync(path.join(LOG_DIR, `${name}.log`), 'w');
  const child = spawn(process.execPath, [path.join(root, script)], { cwd: root, env: env(extra), stdio: ['ignore', log, log] });
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
      const from = data.afterId ? audience.findIndex((c) => c.id > data.afterId) : 0;
      const page = from < 0 ? [] : audience.slice(from, from + (data.limit ?? 50000));
      const more = from >= 0 && from + page.length < audience.length;
      return { contacts: page, nextAfterId: more ? page[page.length - 1].id : null };
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

async function up({ executorEnv = {}, audience }) {
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qAtc', `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`]);
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qAtc', `CREATE DATABASE ${DB}`]);
  execFileSync('redis-cli', ['-n', '10', 'FLUSHDB']);
  const leads = await fakeLeads(audience);
  await leads.listen();
  start('scripts/mail-catcher.js', { SMTP_PORT: String(SMTP.port), MAILCATCHER_HTTP_PORT: String(SMTP.http), MAILCATCHER_MAX_MESSAGES: '300000' }, 'mail-catcher');
  start('dist/apps/campaigns/main.js', { HEALTH_PORT: String(HEALTH.campaigns) });
  const executor = start('dist/apps/executor/main.js', { HEALTH_PORT: String(HEALTH.executor), ...executorEnv });
  await waitFor(`http://127.0.0.1:${HEALTH.campaigns}/health`);
  await waitFor(`http://127.0.0.1:${HEALTH.executor}/health`);
  start('dist/apps/gateway/main.js');
  // The gateway's /health also wants leads and analytics, which this stack does not run.
  await waitFor(`${gatewayUrl}/api/v1/campaigns`, 90000, (res) => res.status === 401);
  await waitFor(`http://127.0.0.1:${SMTP.http}/health`);
  return { leads, executor, key: await tenantKey() };
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

async function down(leads) {
  for (const child of children.reverse()) child.kill('SIGTERM');
  await leads?.close();
  await new Promise((r) => setTimeout(r, 1000));
}

module.exports = { up, down, api, audienceOf, rssMb, SMTP, LOG_DIR, PORTS, HEALTH };
