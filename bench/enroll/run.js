#!/usr/bin/env node
'use strict';
/**
 * Enrollment of a large audience: a campaign launched over N contacts (default 1,000,000)
 * served by the leads RPC stand-in in pages of 50,000; timed from the launch response until
 * the run is fully enrolled (the enrollment rows and the contact copy are committed). The
 * campaign starts with a one-day wait so nothing is sent meanwhile. Also prints the time the
 * executor itself logged for the enrollment. Needs `node scripts/build.js` and the
 * infrastructure. Usage: node bench/enroll/run.js [--contacts 1000000]
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { up, down, api, audienceOf, rssMb, LOG_DIR, DB } = require('../send/stack');
const { writeResult } = require('../lib/measure');

const USAGE = `Usage: node bench/enroll/run.js [options]
  --contacts N      audience size (default 1000000)
  --cpu-prof DIR    run the executor with --cpu-prof, profiles written to DIR
  --save            write bench/results/enroll.json
  BENCH_INSTANCE=n  (env, 0-5) own database, Redis db and ports, beside someone else's run`;
const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
const args = Object.fromEntries(argv.reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]?.startsWith('--') ? true : (all[i + 1] ?? true)]] : acc), []));
const N = Number(args.contacts ?? 1000000);

const sql = (q) => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', DB, '-qAtc', q]).toString().trim();

async function main() {
  const tag = Date.now().toString(36);
  const t0 = Date.now();
  const audience = audienceOf(N, (i) => `e-${i}-${tag}@enroll.example`);
  console.log(`audience of ${N} generated in ${Date.now() - t0} ms`);
  const executorArgs = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [];
  const { leads, executor, key } = await up({ audience, executorArgs, executorEnv: { LOG_LEVEL: 'info' } });
  try {
    const c = await api(key, 'POST', '/api/v1/campaigns', { name: 'Bench enroll', type: 'drip', fromEmail: 'bench@bench.example' });
    await api(key, 'POST', `/api/v1/campaigns/${c.id}/steps`, { type: 'wait', delay: { amount: 1, unit: 'days' } });
    await api(key, 'POST', `/api/v1/campaigns/${c.id}/steps`, { type: 'email', subject: 'Later', bodyText: 'x' });
    const launched = Date.now();
    await api(key, 'POST', `/api/v1/campaigns/${c.id}/launch`, {});
    let rss = 0;
    for (;;) {
      const row = sql(`SELECT enrolled || ',' || enroll_done FROM executor.campaign_runs WHERE campaign_id = '${c.id}'`);
      rss = Math.max(rss, rssMb(executor.pid));
      if (row.endsWith(',true')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (Date.now() - launched) / 1000;
    const rows = Number(sql(`SELECT count(*) FROM executor.enrollments WHERE campaign_id = '${c.id}'`));
    const logged = fs
      .readFileSync(path.join(LOG_DIR, 'executor.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"campaign enrolled"'))
      .map((l) => JSON.parse(l))
      .pop();
    console.log(`enrolled ${rows} contacts in ${seconds.toFixed(2)} s from the launch response (${Math.round(rows / seconds)} /s); executor's own enrollment time ${logged ? (logged.ms / 1000).toFixed(2) : '?'} s; executor RSS max ${rss} MB; target <= 10 s`);
    console.log('the audience is served by a stand-in for the leads RPC (bench/send/stack.js), same contract over real TCP: the leads service\'s own audience query is not in this figure');
    if (args.save) console.log(`written to ${writeResult('enroll', { contacts: rows, seconds, perSecond: Math.round(rows / seconds), executorSeconds: logged ? logged.ms / 1000 : null, rssMaxMb: rss })}`);
  } finally {
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
