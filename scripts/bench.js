#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: runs every benchmark in bench/ one after the other and writes a report,
 * bench/results/report.md and report.json, with the machine (cores, memory, versions) and each
 * benchmark's figures as it printed them. Benchmarks that need a running system get one
 * (scripts/run-apps.js) when nothing answers on BENCH_URL.
 *   npm run bench                     # all
 *   npm run bench -- --only gateway,send   # replaces those sections of the report, keeps the rest
 *   npm run bench -- --full           # adds the 1,000,000-contact broadcast end to end
 */
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const BASE = process.env.BENCH_URL ?? 'http://127.0.0.1:3000';

const ALL_BENCHES = [
  { name: 'gateway', script: 'bench/gateway/run.js', system: true, about: 'GET/POST /api/v1/campaigns through the gateway vs the campaigns service over TCP' },
  { name: 'simulate', script: 'bench/simulate/run.js', system: true, about: 'dry run of a drip over 100,000 contacts' },
  { name: 'import', script: 'bench/import/run.js', about: '1,000,000-row CSV import, leads RSS' },
  { name: 'export', script: 'bench/export/run.js', about: '1,000,000-row CSV export, memory' },
  { name: 'segments', script: 'bench/segments/run.js', about: 'segment count over 1,000,000 leads' },
  { name: 'enroll', script: 'bench/enroll/run.js', argv: ['--save'], about: '1,000,000 contacts enrolled (audience from a stand-in for the leads RPC)' },
  { name: 'enroll-real-leads', script: 'bench/enroll/real-leads.js', argv: ['--save'], about: '1,000,000 leads enrolled end to end, audience from the real leads service' },
  { name: 'send', script: 'bench/send/run.js', argv: ['--save'], about: '100,000-contact broadcast over SMTP vs a bare nodemailer loop; HTTP channel to a no-op receiver, 100 messages per POST (webhook.batchSize) and one per POST' },
  { name: 'analytics', script: 'bench/analytics/run.js', about: 'ingestion rate, produce-to-API latency, cross-campaign query' },
  { name: 'broadcast-1m', script: 'bench/send/run.js', argv: ['--contacts', '1000000', '--channels', 'http', '--http-batch', '100', '--bullmq', '200000'], full: true, about: '1,000,000-contact broadcast end to end, over the HTTP channel to a no-op receiver (over SMTP it would take ~17 min at the measured rate)' },
];
const BENCHES = ALL_BENCHES.filter((b) => (only ? only.includes(b.name) : !b.full || args.includes('--full')));
const order = (name) => ALL_BENCHES.findIndex((b) => b.name === name);

const version = (cmd, argv) => {
  try {
    return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split('\n')[0];
  } catch {
    return 'unknown';
  }
};

async function healthy() {
  try {
    return (await fetch(`${BASE}/health`)).ok;
  } catch {
    return false;
  }
}

async function ensureSystem() {
  if (await healthy()) return null;
  const child = spawn(process.execPath, [path.join(root, 'scripts/run-apps.js')], { cwd: root, stdio: 'ignore' });
  for (let i = 0; i < 120 && !(await healthy()); i++) await new Promise((r) => setTimeout(r, 500));
  return child;
}

function run(bench) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    const child = spawn(process.execPath, [path.join(root, bench.script), ...(bench.argv ?? [])], { cwd: root, env: process.env });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        process.stdout.write(chunk);
      });
    }
    child.on('exit', (code) => resolve({ code, seconds: Math.round((Date.now() - started) / 1000), output }));
  });
}

async function main() {
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: version('psql', ['--version']),
    redis: version('redis-server', ['--version']),
    kafka: fs.readdirSync(path.join(os.homedir(), '.cache/campaign-platform/kafka'), { withFileTypes: true }).map((d) => d.name).join(', ') || 'unknown',
    loadAverageAtStart: os.loadavg().map((n) => n.toFixed(2)).join(' '),
  };
  execFileSync('bash', [path.join(root, 'scripts/infra.sh'), 'up'], { stdio: 'inherit' });
  const results = [];
  let system = null;
  for (const bench of BENCHES) {
    if (bench.system && !system && !(await healthy())) system = await ensureSystem();
    process.stdout.write(`\n=== ${bench.name}: ${bench.about}\n`);
    const r = await run(bench);
    const tail = r.output.trim().split('\n').filter((l) => !/^\s*$/.test(l)).slice(-14);
    const json = path.join(root, 'bench/results', `${bench.name}.json`);
    results.push({ ...bench, exitCode: r.code, seconds: r.seconds, figures: tail, json: fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : undefined });
  }
  if (system) system.kill('SIGTERM');

  const at = new Date().toISOString();
  for (const r of results) Object.assign(r, { at, machine });
  // `--only` replaces its benchmarks' sections and keeps the others from the report before.
  const reportJson = path.join(root, 'bench/results/report.json');
  let kept = [];
  if (only && fs.existsSync(reportJson)) {
    const before = JSON.parse(fs.readFileSync(reportJson, 'utf8'));
    kept = (before.results ?? [])
      .filter((p) => !results.some((r) => r.name === p.name))
      .map((p) => ({ at: before.at, machine: before.machine, ...p }));
  }
  const all = [...kept, ...results].sort((a, b) => order(a.name) - order(b.name));
  fs.writeFileSync(reportJson, JSON.stringify({ at, machine, results: all }, null, 2) + '\n');
  const machineId = (m) => `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.postgres}, ${m.redis}, Kafka ${m.kafka}`;
  const machineLine = (m) => `${machineId(m)}; load average at start ${m.loadAverageAtStart}`;
  const md = [
    `# Benchmark report`,
    '',
    kept.length
      ? `Updated ${at} with \`npm run bench -- --only ${only.join(',')}\`; each section says when it ran.`
      : `Run ${at} with \`npm run bench\`.`,
    '',
    `Machine: ${machineLine(machine)}.`,
    '',
    ...all.flatMap((r) => [
      `## ${r.name}`,
      '',
      `${r.about}. \`node ${r.script}${r.argv ? ' ' + r.argv.join(' ') : ''}\` — exit ${r.exitCode}, ${r.seconds} s${r.at !== at ? `; run ${r.at}${r.machine && machineId(r.machine) !== machineId(machine) ? ` on ${machineId(r.machine)}` : ''}` : ''}.`,
      '',
      '```',
      ...r.figures,
      '```',
      '',
    ]),
  ].join('\n');
  fs.writeFileSync(path.join(root, 'bench/results/report.md'), md);
  process.stdout.write(`\nreport: bench/results/report.md, bench/results/report.json\n`);
  if (results.some((r) => r.exitCode !== 0)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
