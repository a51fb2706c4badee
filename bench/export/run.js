#!/usr/bin/env node
'use strict';
// bench/export: seeds ROWS leads (default 1,000,000) into a fresh bench stack, then streams
// GET /api/v1/leads/export through the gateway and measures rows/s and the RSS of the
// gateway and the leads service while it runs (flat memory = streaming works).
// Usage: node bench/export/run.js [rows]   (BENCH_EXPORT_REPEAT=n: n more exports, same processes)
const { execFileSync } = require('node:child_process');
const {
  DB,
  GATEWAY,
  startStack,
  createWorkspace,
  sampleRss,
  seedLeads,
  cpuMeter,
  psql,
} = require('../import/stack');
const os = require('node:os');

if (process.argv.includes('--help')) {
  console.log(`Usage: node bench/export/run.js [rows]   (default 1,000,000; run node scripts/build.js first)
  BENCH_EXPORT_REPEAT=n  (env) n more exports through the same processes
  BENCH_INSTANCE=n       (env, 0-5) own database, ports, queue and Kafka prefixes, logs
  BENCH_NODE_ARGS_LEADS, BENCH_NODE_ARGS_GATEWAY  (env) node flags for one app, e.g. --cpu-prof`);
  process.exit(0);
}
const ROWS = Number(process.argv[2] ?? 1_000_000);

/** The floor: Postgres rendering the same rows as CSV itself (psql COPY … TO STDOUT, discarded). */
function rawCopy(workspaceId) {
  const t0 = process.hrtime.bigint();
  const out = execFileSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-d',
      DB,
      '-qAtc',
      `COPY (SELECT * FROM leads.leads WHERE workspace_id = '${workspaceId}' ORDER BY id) TO STDOUT WITH (FORMAT csv)`,
    ],
    { maxBuffer: 1 << 30 },
  );
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, bytes: out.length };
}

/** Peak RSS in each quarter of the run: flat quarters = memory does not grow with the rows. */
const quarterPeaks = (samples) =>
  [0, 1, 2, 3].map((q) =>
    Math.max(
      ...samples.slice(
        Math.floor((q * samples.length) / 4),
        Math.floor(((q + 1) * samples.length) / 4),
      ),
    ),
  );

/**
 * Flat: no later quarter peaks more than 10% (at least 20 MB) above the first one. A process
 * that buffered ahead of the client, or leaked per page, would grow quarter after quarter.
 */
function verdict(samples) {
  const q = quarterPeaks(samples);
  const flat = Math.max(...q.slice(1)) - q[0] <= Math.max(20, q[0] * 0.1);
  return `${q.map((v) => v.toFixed(0)).join(' / ')} (${flat ? 'flat' : 'GROWING'})`;
}

async function main() {
  const stack = await startStack();
  try {
    const ws = await createWorkspace();
    const s0 = Date.now();
    await seedLeads(ws, ROWS);
    console.log(`seeded ${ROWS} leads in ${((Date.now() - s0) / 1000).toFixed(1)} s`);
    // Freshly inserted rows make their first reader set every tuple's hint bits (a write of
    // every page): that is the bulk load's cost, not the export's, and the baseline below would
    // not pay it. A vacuum, as autovacuum would do, leaves both reading the same table.
    const v0 = Date.now();
    psql('VACUUM leads.leads', DB);
    console.log(`vacuumed in ${((Date.now() - v0) / 1000).toFixed(1)} s`);
    const gatewayRss = sampleRss(stack.procs.gateway.pid);
    const leadsRss = sampleRss(stack.procs.leads.pid);
    const leadsCpu = cpuMeter(stack.procs.leads.pid);
    const gatewayCpu = cpuMeter(stack.procs.gateway.pid);
    const load0 = os.loadavg()[0];
    const t0 = Date.now();
    const res = await fetch(`${GATEWAY}/api/v1/leads/export`, {
      headers: { authorization: `Bearer ${ws.key}` },
    });
    if (res.status !== 200) throw new Error(`export failed: ${res.status} ${await res.text()}`);
    let bytes = 0;
    let newlines = 0;
    let firstByteMs = null;
    for await (const chunk of res.body) {
      firstByteMs ??= Date.now() - t0;
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
    }
    const seconds = (Date.now() - t0) / 1000;
    const g = gatewayRss.stop();
    const l = leadsRss.stop();
    const lc = leadsCpu.stop();
    const gc = gatewayCpu.stop();
    const rows = newlines - 1;
    console.log(
      `exported ${rows} rows (${(bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s; first byte after ${firstByteMs} ms`,
    );
    console.log(
      `gateway RSS: min ${g.min.toFixed(0)} MB, peak ${g.peak.toFixed(0)} MB; leads RSS: min ${l.min.toFixed(0)} MB, peak ${l.peak.toFixed(0)} MB`,
    );
    console.log(
      `peak RSS by quarter of the export (MB): gateway ${verdict(g.samples)}; leads ${verdict(l.samples)}`,
    );
    console.log(
      `CPU used: leads ${lc.app.toFixed(1)} s, gateway ${gc.app.toFixed(1)} s, Postgres backends ${lc.postgres.toFixed(1)} s; ` +
        `load average 1 min ${load0.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`,
    );
    if (rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${rows}`);
    const raw = rawCopy(ws.workspaceId);
    console.log(
      `baseline, psql COPY (SELECT …) TO STDOUT of the same rows: ${raw.seconds.toFixed(2)} s = ${Math.round(ROWS / raw.seconds)} rows/s; ` +
        `export/baseline = ${(raw.seconds / seconds).toFixed(2)}`,
    );
    // BENCH_EXPORT_REPEAT=n: n more exports through the same processes. Peaks that come back
    // down between runs are V8's heap limit at work (a GC sawtooth); peaks that keep climbing
    // run after run would be a leak.
    for (let i = 1; i <= Number(process.env.BENCH_EXPORT_REPEAT ?? 0); i++) {
      const gr = sampleRss(stack.procs.gateway.pid);
      const lr = sampleRss(stack.procs.leads.pid);
      const t1 = Date.now();
      const again = await fetch(`${GATEWAY}/api/v1/leads/export`, {
        headers: { authorization: `Bearer ${ws.key}` },
      });
      for await (const chunk of again.body) void chunk;
      console.log(
        `repeat ${i}: ${((Date.now() - t1) / 1000).toFixed(2)} s = ${Math.round(ROWS / ((Date.now() - t1) / 1000))} rows/s; peak RSS gateway ${gr.stop().peak.toFixed(0)} MB, leads ${lr.stop().peak.toFixed(0)} MB`,
      );
    }
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
