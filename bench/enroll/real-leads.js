#!/usr/bin/env node
'use strict';
/**
 * Enrollment end to end with the real leads service: N leads (default 1,000,000) seeded into
 * the bench database, a campaign over the whole workspace launched through the gateway, timed
 * from the launch response until the executor has enrolled everyone (enrollment rows and
 * contact copy committed). Unlike bench/enroll/run.js (a stand-in serves the audience), the
 * leads service runs its audience query and writes the COPY pages, on the same two cores as
 * the executor and Postgres. The campaign starts with a one-day wait, so nothing is sent.
 * Prints the CPU seconds of the executor, the leads service and the bench database's Postgres
 * backends, the executor's peak RSS and the load average. Needs `node scripts/build.js`, Redis,
 * Kafka (scripts/infra.sh up) and Postgres. Usage: node bench/enroll/real-leads.js [--contacts N] [--save]
 */
const os = require('node:os');
const { Client } = require('pg');
const stack = require('../import/stack');
const { cpuSeconds, backendCpuMeter, writeResult, cliArgs } = require('../lib/measure');

const USAGE = `Usage: node bench/enroll/real-leads.js [options]
  --contacts N      leads seeded and enrolled (default 1000000)
  --save            write bench/results/enroll-real-leads.json
  BENCH_INSTANCE=n  (env, 0-5) own database, ports and queue prefix`;
const args = cliArgs(USAGE);
const N = Number(args.contacts ?? 1000000);

async function main() {
  const { procs, stop } = await stack.startStack();
  procs.executor = stack.start('executor', {
    HEALTH_PORT: String(stack.HEALTH.executor),
    LOG_LEVEL: 'info',
    DATABASE_POOL_SIZE: '30',
  });
  const db = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${stack.DB}` });
  try {
    await stack.waitFor(`http://127.0.0.1:${stack.HEALTH.executor}/health`);
    const ws = await stack.createWorkspace();
    const s0 = Date.now();
    await stack.seedLeads(ws, N);
    console.log(`seeded ${N} leads in ${((Date.now() - s0) / 1000).toFixed(1)} s`);
    await db.connect();
    const c = await stack.call(ws.key, 'POST', '/api/v1/campaigns', {
      name: 'Bench enroll (real leads)',
      type: 'drip',
      fromEmail: 'bench@bench.example',
    });
    await stack.call(ws.key, 'POST', `/api/v1/campaigns/${c.id}/steps`, {
      type: 'wait',
      delay: { amount: 1, unit: 'days' },
    });
    await stack.call(ws.key, 'POST', `/api/v1/campaigns/${c.id}/steps`, {
      type: 'email',
      subject: 'Later',
      bodyText: 'x',
    });
    // Let the checkpoint and autovacuum that follow the seeding settle before timing.
    await db.query('CHECKPOINT');
    const postgres = backendCpuMeter(stack.DB, 100);
    const cpu0 = { executor: cpuSeconds(procs.executor.pid), leads: cpuSeconds(procs.leads.pid) };
    const load0 = os.loadavg()[0];
    const launched = Date.now();
    await stack.call(ws.key, 'POST', `/api/v1/campaigns/${c.id}/launch`, {});
    let rss = 0;
    for (;;) {
      if (Date.now() - launched > 600000) throw new Error(`not enrolled after 600 s (logs in ${stack.LOG_DIR})`);
      const { rows: [row] } = await db.query(
        'SELECT enroll_done FROM executor.campaign_runs WHERE campaign_id = $1',
        [c.id],
      );
      rss = Math.max(rss, stack.rssMb(procs.executor.pid));
      if (row?.enroll_done) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (Date.now() - launched) / 1000;
    const load1 = os.loadavg()[0];
    const cpu = {
      executor: +(cpuSeconds(procs.executor.pid) - cpu0.executor).toFixed(2),
      leads: +(cpuSeconds(procs.leads.pid) - cpu0.leads).toFixed(2),
      postgres: +postgres.used().toFixed(2),
    };
    const { rows: [{ rows }] } = await db.query(
      'SELECT count(*)::int AS rows FROM executor.enrollments WHERE campaign_id = $1',
      [c.id],
    );
    console.log(
      `enrolled ${rows} of ${N} leads in ${seconds.toFixed(2)} s from the launch response (${Math.round(rows / seconds)} /s), real leads service; executor RSS max ${Math.round(rss)} MB; target <= 10 s`,
    );
    console.log(
      `CPU seconds during the run: executor ${cpu.executor}, leads service ${cpu.leads}, Postgres backends ${cpu.postgres}; load average (1 min) ${load0.toFixed(2)} at launch, ${load1.toFixed(2)} at the end`,
    );
    if (rows !== N) throw new Error(`enrolled ${rows}, expected ${N}`);
    if (args.save)
      console.log(
        `written to ${writeResult('enroll-real-leads', { contacts: rows, seconds, perSecond: Math.round(rows / seconds), rssMaxMb: rss, cpuSeconds: cpu, loadAverage: [+load0.toFixed(2), +load1.toFixed(2)] })}`,
      );
  } finally {
    await db.end().catch(() => undefined);
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
