#!/usr/bin/env node
'use strict';
// bench/import: generates a ROWS-row CSV (default 1,000,000), uploads it through the gateway
// to a fresh bench stack (campaigns + leads + gateway, spawned here) and measures the import:
// rows/s from the job's own start/finish times and the leads service's peak RSS.
// Usage: node bench/import/run.js [rows]   (BENCH_TRIGGER=true: import with triggerCampaigns;
// BENCH_INSTANCE=n: a stack of its own, see stack.js)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { INSTANCE, DB, PG, GATEWAY, startStack, createWorkspace, sampleRss, psql, cpuMeter } = require('./stack');
const { backendCpuMeter } = require('../lib/measure');

const ROWS = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(ROWS) || ROWS < 1) {
  console.error('usage: node bench/import/run.js [rows]  (env: BENCH_INSTANCE=0-5, BENCH_TRIGGER=true)');
  process.exit(2);
}
const INDUSTRIES = ['technology', 'finance', 'retail', 'health', 'education'];
const COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR'];

async function generate(file) {
  const out = fs.createWriteStream(file);
  const write = (s) => (out.write(s) ? undefined : new Promise((r) => out.once('drain', r)));
  await write(
    '\uFEFFEmail,First Name,Last Name,Company,Job Title,Phone,Company Size,Industry,Country,Lead Score,Age,Interests\r\n',
  );
  let chunk = '';
  for (let i = 1; i <= ROWS; i++) {
    chunk +=
      `lead${i}@bench.test,First${i},"Last, ${i}",Company ${i % 5000},Title ${i % 40},+1-555-${String(i % 10000).padStart(4, '0')},` +
      `${(i * 7919) % 2000},${INDUSTRIES[i % 5]},${COUNTRIES[i % 5]},${(i * 31) % 101},${18 + (i % 60)},tech|golf\r\n`;
    if (i % 10000 === 0) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise((r) => out.end(r));
  return fs.statSync(file).size;
}

/**
 * The index upkeep that follows a big import in the background (the leads service merges the
 * GIN pending lists, then analyses the table: LeadIndexUpkeep), timed from the job's finish
 * until the table's last_analyze passes it, with the Postgres CPU it took.
 */
async function awaitUpkeep(finishedAt) {
  // One connection polls (a psql process per look would add its own backends to the figure).
  const db = new Client({ connectionString: `${PG}/${DB}` });
  await db.connect();
  const postgres = backendCpuMeter(DB, 200);
  try {
    const analysedAfter = async () =>
      (
        await db.query(
          `SELECT coalesce(last_analyze > $1::timestamptz, false) AS done FROM pg_stat_user_tables
            WHERE relid = 'leads.leads'::regclass`,
          [finishedAt],
        )
      ).rows[0].done;
    const deadline = Date.now() + 300_000;
    while (!(await analysedAfter())) {
      if (Date.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, 100));
    }
    return { seconds: (Date.now() - new Date(finishedAt)) / 1000, postgres: postgres.used() };
  } finally {
    await db.end();
  }
}

/** The floor under any import: Postgres parsing the same CSV into a table without indexes. */
function rawCopy(file) {
  psql('DROP TABLE IF EXISTS public.bench_raw_copy', DB);
  const cols = Array.from({ length: 12 }, (_, i) => `c${i} text`).join(', ');
  psql(`CREATE TABLE public.bench_raw_copy (${cols})`, DB);
  const t0 = process.hrtime.bigint();
  psql(`\\copy public.bench_raw_copy FROM '${file}' WITH (FORMAT csv, HEADER true)`, DB);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  psql('DROP TABLE public.bench_raw_copy', DB);
  return seconds;
}

async function main() {
  const file = path.join(os.tmpdir(), `bench-leads-${ROWS}${INSTANCE ? `-${INSTANCE}` : ''}.csv`);
  const bytes = await generate(file);
  console.log(`generated ${ROWS} rows, ${(bytes / 1e6).toFixed(1)} MB: ${file}`);
  const stack = await startStack();
  try {
    const ws = await createWorkspace();
    const rss = sampleRss(stack.procs.leads.pid, 100);
    const cpu = cpuMeter(stack.procs.leads.pid);
    const form = new FormData();
    form.append('file', await fs.openAsBlob(file, { type: 'text/csv' }), 'bench.csv');
    // BENCH_TRIGGER=true: every created lead also emits lead.captured (the import option).
    if (process.env.BENCH_TRIGGER === 'true') form.append('triggerCampaigns', 'true');
    const t0 = Date.now();
    const res = await fetch(`${GATEWAY}/api/v1/leads/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.key}` },
      body: form,
    });
    const started = await res.json();
    if (res.status !== 202)
      throw new Error(`upload failed: ${res.status} ${JSON.stringify(started)}`);
    const uploadMs = Date.now() - t0;
    let job;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      job = (
        await (
          await fetch(`${GATEWAY}/api/v1/leads/imports/${started.data.id}`, {
            headers: { authorization: `Bearer ${ws.key}` },
          })
        ).json()
      ).data;
      if (job.status === 'completed' || job.status === 'failed') break;
    }
    const wallMs = Date.now() - t0;
    const mem = rss.stop();
    const used = cpu.stop();
    const jobSeconds = (new Date(job.finishedAt) - new Date(job.startedAt)) / 1000;
    console.log(JSON.stringify({ status: job.status, result: job.result, error: job.error }));
    console.log(`upload (gateway spool): ${uploadMs} ms`);
    console.log(
      `import: ${ROWS} rows in ${jobSeconds.toFixed(2)} s = ${Math.round(ROWS / jobSeconds)} rows/s (job start→finish)`,
    );
    console.log(
      `end to end incl. upload: ${(wallMs / 1000).toFixed(2)} s = ${Math.round(ROWS / (wallMs / 1000))} rows/s`,
    );
    console.log(
      `leads service RSS: peak ${mem.peak.toFixed(0)} MB, min ${mem.min.toFixed(0)} MB (${mem.samples.length} samples)`,
    );
    console.log(
      `CPU used: leads service ${used.app.toFixed(1)} s, Postgres backends ${used.postgres.toFixed(1)} s ` +
        `(wall time depends on other load; CPU hardly does)`,
    );
    if (job.status === 'completed' && ROWS >= 10_000) {
      const upkeep = await awaitUpkeep(job.finishedAt);
      console.log(
        upkeep
          ? `index upkeep after the job (GIN merge + ANALYZE, in the background): done ${upkeep.seconds.toFixed(1)} s ` +
              `after the finish, Postgres CPU ${upkeep.postgres.toFixed(1)} s`
          : 'index upkeep after the job: not seen within 300 s',
      );
    }
    const raw = rawCopy(file);
    console.log(
      `baseline, psql \\copy of the same file into an unindexed table: ${raw.toFixed(2)} s = ${Math.round(ROWS / raw)} rows/s; ` +
        `import/baseline = ${(raw / jobSeconds).toFixed(2)}`,
    );
  } finally {
    await stack.stop();
    fs.rmSync(file, { force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
