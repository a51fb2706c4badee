#!/usr/bin/env node
'use strict';
/**
 * Enrollment of a large audience: a campaign launched over N contacts (default 1,000,000)
 * served by the leads RPC stand-in in pages of ENROLL_PAGE_SIZE (10,000); timed from the launch response until
 * the run is fully enrolled (the enrollment rows and the contact copy are committed). The
 * campaign starts with a one-day wait so nothing is sent meanwhile. Also prints the time the
 * executor itself logged for the enrollment, the CPU seconds of the executor, of its Postgres
 * backends and of the stand-in, and the load average. Needs `node scripts/build.js` and the
 * infrastructure. Usage: node bench/enroll/run.js [--contacts 1000000]
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Client } = require('pg');
const { up, down, api, audienceOf, rssMb, LOG_DIR, DB } = require('../send/stack');
const { writeResult, cpuSeconds, cliArgs } = require('../lib/measure');

const USAGE = `Usage: node bench/enroll/run.js [options]
  --contacts N      audience size (default 1000000)
  --cpu-prof DIR    run the executor with --cpu-prof, profiles written to DIR
  --node-flags "…"  more node flags for the executor (e.g. "--max-semi-space-size=32")
  ENROLL_PAGE_SIZE  (env) passed to the executor like every variable of the environment
  --save            write bench/results/enroll.json
  BENCH_INSTANCE=n  (env, 0-5) own database, Redis db and ports, beside someone else's run`;
const args = cliArgs(USAGE, ['--node-flags']);
const N = Number(args.contacts ?? 1000000);


/**
 * CPU used by the Postgres backends serving the bench database (the executor's pool), the
 * polling connection excluded: each backend's CPU when first seen (0 if it connected after the
 * start) and when last seen.
 */
class BackendCpu {
  constructor(db) {
    this.db = db;
    this.seen = new Map();
  }
  async sample(initial = false) {
    const { rows } = await this.db.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    for (const { pid } of rows) {
      const now = cpuSeconds(pid);
      const entry = this.seen.get(pid) ?? { first: initial ? now : 0, last: now };
      entry.last = Math.max(entry.last, now);
      this.seen.set(pid, entry);
    }
  }
  get seconds() {
    return [...this.seen.values()].reduce((sum, e) => sum + e.last - e.first, 0);
  }
}

async function main() {
  const tag = Date.now().toString(36);
  const t0 = Date.now();
  const audience = audienceOf(N, (i) => `e-${i}-${tag}@enroll.example`);
  console.log(`audience of ${N} generated in ${Date.now() - t0} ms`);
  const executorArgs = [
    ...(args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : []),
    ...(typeof args['node-flags'] === 'string' ? args['node-flags'].split(' ').filter(Boolean) : []),
  ];
  const { leads, executor, key } = await up({ audience, executorArgs, executorEnv: { LOG_LEVEL: 'info' } });
  const db = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${DB}` });
  await db.connect();
  try {
    const c = await api(key, 'POST', '/api/v1/campaigns', { name: 'Bench enroll', type: 'drip', fromEmail: 'bench@bench.example' });
    await api(key, 'POST', `/api/v1/campaigns/${c.id}/steps`, { type: 'wait', delay: { amount: 1, unit: 'days' } });
    await api(key, 'POST', `/api/v1/campaigns/${c.id}/steps`, { type: 'email', subject: 'Later', bodyText: 'x' });
    const backends = new BackendCpu(db);
    await backends.sample(true);
    const cpu0 = { executor: cpuSeconds(executor.pid), bench: process.cpuUsage() };
    const load0 = os.loadavg()[0];
    const launched = Date.now();
    await api(key, 'POST', `/api/v1/campaigns/${c.id}/launch`, {});
    let rss = 0;
    const deadline = launched + 600000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`not enrolled after 600 s (executor log in ${LOG_DIR})`);
      const { rows: [row] } = await db.query('SELECT enroll_done FROM executor.campaign_runs WHERE campaign_id = $1', [c.id]);
      rss = Math.max(rss, rssMb(executor.pid));
      await backends.sample();
      if (row?.enroll_done) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (Date.now() - launched) / 1000;
    const load1 = os.loadavg()[0];
    const benchCpu = process.cpuUsage(cpu0.bench);
    const cpu = {
      executor: +(cpuSeconds(executor.pid) - cpu0.executor).toFixed(2),
      postgres: +backends.seconds.toFixed(2),
      leadsStandIn: +((benchCpu.user + benchCpu.system) / 1e6).toFixed(2),
    };
    const { rows: [{ rows }] } = await db.query('SELECT count(*)::int AS rows FROM executor.enrollments WHERE campaign_id = $1', [c.id]);
    const logged = fs
      .readFileSync(path.join(LOG_DIR, 'executor.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"campaign enrolled"'))
      .map((l) => JSON.parse(l))
      .pop();
    console.log(`enrolled ${rows} contacts in ${seconds.toFixed(2)} s from the launch response (${Math.round(rows / seconds)} /s); executor's own enrollment time ${logged ? (logged.ms / 1000).toFixed(2) : '?'} s; executor RSS max ${rss} MB; target <= 10 s`);
    console.log(`CPU seconds during the run: executor ${cpu.executor}, its Postgres backends ${cpu.postgres}, leads stand-in (bench process) ${cpu.leadsStandIn}; load average (1 min) ${load0.toFixed(2)} at launch, ${load1.toFixed(2)} at the end`);
    console.log('the audience is served by a stand-in for the leads RPC (bench/send/stack.js), same contract over real TCP: the leads service\'s own audience query is not in this figure');
    if (args.save) console.log(`written to ${writeResult('enroll', { contacts: rows, seconds, perSecond: Math.round(rows / seconds), executorSeconds: logged ? logged.ms / 1000 : null, rssMaxMb: rss, cpuSeconds: cpu, loadAverage: [+load0.toFixed(2), +load1.toFixed(2)] })}`);
  } finally {
    await db.end();
    await down(leads);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
