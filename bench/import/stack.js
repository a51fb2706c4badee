'use strict';
// Shared by bench/import, bench/export and bench/segments: a fresh bench database, the
// campaigns, leads and gateway processes (compiled dist/), a tenant with a workspace key,
// and a sampler of a process's resident memory (VmRSS). Plain Node, no test framework.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { cpuSeconds, backendCpuMeter } = require('../lib/measure');
const { stopStrays } = require('../lib/strays');

const ROOT = path.resolve(__dirname, '../..');
// BENCH_INSTANCE (0-5, default 0) gives a run its own database, ports, queue prefix, topics,
// spool and logs, so two people can run these benchmarks on one machine without dropping each
// other's database (same scheme as bench/send, at other port offsets: 20000 + 100·n + 40…).
const INSTANCE = Number(process.env.BENCH_INSTANCE ?? 0);
if (!Number.isInteger(INSTANCE) || INSTANCE < 0 || INSTANCE > 5)
  throw new Error('BENCH_INSTANCE must be 0-5');
const at = (classic, offset) => (INSTANCE ? 20000 + INSTANCE * 100 + 40 + offset : classic);
const SUFFIX = INSTANCE ? `-${INSTANCE}` : '';
const DB = process.env.BENCH_DB ?? `campaign_bench${INSTANCE ? `_${INSTANCE}` : ''}`;
const PG = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const PORTS = {
  gateway: at(3300, 0),
  campaigns: at(4801, 1),
  leads: at(4802, 2),
  analytics: at(4803, 3),
  executor: at(4804, 4),
};
const HEALTH = { campaigns: at(4851, 5), leads: at(4852, 6), executor: at(4853, 7) };
const LOG_DIR = path.join(os.tmpdir(), `campaign-platform-bench-logs${SUFFIX}`);
const GATEWAY = `http://127.0.0.1:${PORTS.gateway}`;

function psql(sql, db = 'postgres') {
  return execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', db, '-qAtc', sql], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
    .toString()
    .trim();
}

function env(extra = {}) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: `${PG}/${DB}`,
    REDIS_URL: 'redis://127.0.0.1:6379/9',
    QUEUE_PREFIX: `{cpbench${INSTANCE || ''}}`,
    KAFKA_TOPIC_PREFIX: INSTANCE ? `benchleads${INSTANCE}.` : 'bench.',
    KAFKA_CLIENT_ID: `campaign-platform-bench${SUFFIX}`,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    PORT: String(PORTS.gateway),
    PUBLIC_API_URL: GATEWAY,
    CAMPAIGNS_PORT: String(PORTS.campaigns),
    LEADS_PORT: String(PORTS.leads),
    ANALYTICS_PORT: String(PORTS.analytics),
    EXECUTOR_PORT: String(PORTS.executor),
    LEADS_IMPORT_DIR: path.join(os.tmpdir(), `campaign-platform-bench-spool${SUFFIX}`),
    ...extra,
  };
}

/** BENCH_NODE_ARGS_LEADS="--cpu-prof" (etc.) passes node flags to one app, for profiling. */
function start(app, extra) {
  const nodeArgs = process.env[`BENCH_NODE_ARGS_${app.toUpperCase()}`] ?? '';
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const log = fs.openSync(path.join(LOG_DIR, `${app}.log`), 'w');
  const args = [
    ...nodeArgs.split(' ').filter(Boolean),
    path.join(ROOT, 'dist/apps', app, 'main.js'),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: env(extra),
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  return child;
}

async function waitFor(url, anyStatus = false, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok || anyStatus) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up; logs in ${LOG_DIR}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Fresh database, then campaigns + leads + gateway from dist/ (run `node scripts/build.js`
 * first); returns their processes and a stop().
 */
async function startStack() {
  stopStrays(env().QUEUE_PREFIX);
  psql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  psql(`CREATE DATABASE ${DB}`);
  const procs = {
    campaigns: start('campaigns', { HEALTH_PORT: String(HEALTH.campaigns) }),
    leads: start('leads', { HEALTH_PORT: String(HEALTH.leads) }),
  };
  const stop = async () => {
    for (const p of Object.values(procs)) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
  };
  try {
    await waitFor(`http://127.0.0.1:${HEALTH.campaigns}/health`);
    await waitFor(`http://127.0.0.1:${HEALTH.leads}/health`);
    procs.gateway = start('gateway');
    // The gateway's /health also asks analytics and executor, which the bench does not start.
    await waitFor(`${GATEWAY}/health`, true);
  } catch (err) {
    await stop();
    throw err;
  }
  return { procs, stop };
}

/** One gateway call with an API key; the envelope's data, or an error naming the answer. */
async function call(key, method, route, body) {
  const res = await fetch(GATEWAY + route, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** A tenant (operators' CLI) with one workspace and its API key. */
async function createWorkspace() {
  const out = execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'dist/apps/campaigns/src/cli/admin-cli.js'),
      'api-key',
      'create',
      '--tenant',
      `bench-${Date.now()}`,
      '--admin',
    ],
    { cwd: ROOT, env: env() },
  );
  const adminKey = out.toString().trim().split('\n').pop();
  const ws = await call(adminKey, 'POST', '/api/v1/admin/workspaces', {
    slug: 'bench',
    name: 'Bench',
  });
  const key = await call(adminKey, 'POST', `/api/v1/admin/workspaces/${ws.id}/api-keys`, {
    name: 'bench',
  });
  return { workspaceId: ws.id, tenantId: ws.tenantId, key: key.key };
}

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

/** Samples a process's RSS every `ms` until stopped; returns { peak, samples }. */
function sampleRss(pid, ms = 100) {
  const samples = [];
  const timer = setInterval(() => {
    try {
      samples.push(rssMb(pid));
    } catch {
      // process gone
    }
  }, ms);
  return {
    stop() {
      clearInterval(timer);
      return { peak: Math.max(...samples), min: Math.min(...samples), samples };
    },
  };
}


/**
 * CPU used by a process and by the Postgres backends serving the bench database between
 * start and stop: unlike wall time it hardly moves with the load of other work on the machine.
 */
function cpuMeter(pid) {
  const postgres = backendCpuMeter(DB, 1000);
  const app0 = cpuSeconds(pid);
  return {
    stop: () => ({ app: cpuSeconds(pid) - app0, postgres: postgres.used() }),
  };
}

/**
 * Merges the pending lists of leads.leads' GIN indexes into the indexes (what the leads
 * service's LeadIndexUpkeep does after a bulk write), synchronously.
 */
function mergePendingLists() {
  psql(
    `SELECT gin_clean_pending_list(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = 'leads.leads'::regclass AND a.amname = 'gin'`,
    DB,
  );
}

/**
 * Seeds n leads straight into the bench database with one INSERT … SELECT generate_series,
 * for the benches that measure reading (export, segment count) rather than importing. The GIN
 * pending lists are merged after it, as the leads service's upkeep would do within
 * LEADS_INDEX_UPKEEP_MS, unless `{ merge: false }` (bench/segments times both states).
 */
function seedLeads(workspace, n, { merge = true } = {}) {
  psql(
    `INSERT INTO leads.leads (tenant_id, workspace_id, email, email_normalized, email_hash, first_name, last_name,
       company, title, company_size, industry, country, lead_score, engagement_score, source, custom_fields)
     SELECT '${workspace.tenantId}', '${workspace.workspaceId}', 'lead' || i || '@bench.test', 'lead' || i || '@bench.test',
       md5(i::text), 'First' || i, 'Last' || i, 'Company ' || (i % 5000), 'Title ' || (i % 40),
       (i * 7919) % 2000, (ARRAY['technology','finance','retail','health','education'])[1 + i % 5],
       (ARRAY['US','CA','GB','DE','FR','BR','IN'])[1 + i % 7], (i * 31) % 101, (i * 17) % 101,
       (ARRAY['website_form','import','trade_show'])[1 + i % 3],
       jsonb_build_object('age', 18 + (i % 60), 'interests', jsonb_build_array((ARRAY['technology','shopping','golf','travel'])[1 + i % 4]))
     FROM generate_series(1::bigint, ${n}) AS i`,
    DB,
  );
  if (merge) mergePendingLists();
  psql('ANALYZE leads.leads', DB);
  // psql ran synchronously: let fetch notice the keep-alive sockets the gateway closed meanwhile.
  return new Promise((r) => setTimeout(r, 500));
}

module.exports = {
  INSTANCE,
  PORTS,
  HEALTH,
  LOG_DIR,
  call,
  mergePendingLists,
  start,
  waitFor,
  GATEWAY,
  DB,
  PG,
  ROOT,
  startStack,
  createWorkspace,
  rssMb,
  sampleRss,
  cpuMeter,
  seedLeads,
  psql,
};
