'use strict';
// Starts the apps the analytics bench needs (campaigns, analytics, gateway) against a bench
// database, Redis db and topic prefix of their own, and creates a tenant with an API key.
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const { stopStrays } = require('../lib/strays');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const DB = process.env.BENCH_DB ?? 'campaign_bench_analytics';
// BENCH_PORT_BASE, BENCH_REDIS_DB and BENCH_DB let two runs share the machine without meeting.
const BASE = Number(process.env.BENCH_PORT_BASE ?? 3990);
const PORTS = {
  gateway: BASE,
  campaigns: BASE + 1001,
  leads: BASE + 1002,
  analytics: BASE + 1003,
  executor: BASE + 1004,
};
const HEALTH = { campaigns: BASE + 1005, analytics: BASE + 1006 };
const LOG_DIR = path.join(
  os.tmpdir(),
  `campaign-platform-bench-analytics${BASE === 3990 ? '' : `-${BASE}`}`,
);
const REDIS_DB = process.env.BENCH_REDIS_DB ?? '9';
// Extra node flags per app, e.g. BENCH_NODE_ARGS_ANALYTICS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
const nodeArgs = (app) =>
  (process.env[`BENCH_NODE_ARGS_${app.toUpperCase()}`] ?? '').split(' ').filter(Boolean);

function env(prefix, extra = {}) {
  return {
    ...process.env,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${DB}`,
    DATABASE_POOL_SIZE: '20',
    REDIS_URL: `redis://127.0.0.1:6379/${REDIS_DB}`,
    QUEUE_PREFIX: '{cpbench}',
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_CLIENT_ID: `bench-${prefix.replace(/\W/g, '')}`,
    LOG_LEVEL: 'warn',
    PORT: String(PORTS.gateway),
    PUBLIC_API_URL: `http://127.0.0.1:${PORTS.gateway}`,
    CAMPAIGNS_PORT: String(PORTS.campaigns),
    LEADS_PORT: String(PORTS.leads),
    ANALYTICS_PORT: String(PORTS.analytics),
    EXECUTOR_PORT: String(PORTS.executor),
    ...extra,
  };
}

/** Before anything starts: services left from an earlier run are killed, the database made anew. */
function resetDatabase() {
  stopStrays(env('').QUEUE_PREFIX);
  const psql = (sql) =>
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qAtc', sql]);
  psql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  psql(`CREATE DATABASE ${DB}`);
}

function start(app, prefix, extraEnv = {}) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const log = fs.openSync(path.join(LOG_DIR, `${app}.log`), 'w');
  const extra = HEALTH[app] ? { HEALTH_PORT: String(HEALTH[app]) } : {};
  const main = path.join(root, 'dist/apps', app, 'main.js');
  const child = spawn(process.execPath, [...nodeArgs(app), main], {
    cwd: root,
    env: env(prefix, { ...extra, ...extraEnv }),
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  return child;
}

async function waitFor(url, ok = (res) => res.ok, timeoutMs = 60000) {
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

const healthUrl = (app) => `http://127.0.0.1:${HEALTH[app]}/health`;
const gatewayUrl = `http://127.0.0.1:${PORTS.gateway}`;

async function api(key, method, route, body) {
  const res = await fetch(gatewayUrl + route, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** A tenant with one workspace and a workspace key, through the operators' CLI and the admin API. */
async function createTenant(prefix) {
  const out = execFileSync(
    process.execPath,
    [
      path.join(root, 'dist/apps/campaigns/src/cli/admin-cli.js'),
      'api-key',
      'create',
      '--tenant',
      `bench-${Date.now()}`,
      '--admin',
    ],
    { cwd: root, env: env(prefix) },
  );
  const adminKey = out.toString().trim().split('\n').pop();
  const ws = await api(adminKey, 'POST', '/api/v1/admin/workspaces', {
    slug: 'bench',
    name: 'Bench',
  });
  const key = await api(adminKey, 'POST', `/api/v1/admin/workspaces/${ws.id}/api-keys`, {
    name: 'bench',
  });
  return { key: key.key, workspaceId: ws.id, tenantId: ws.tenantId };
}

module.exports = {
  resetDatabase,
  start,
  waitFor,
  healthUrl,
  gatewayUrl,
  api,
  createTenant,
  LOG_DIR,
  DB,
};
