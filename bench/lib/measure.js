'use strict';
// Small helpers shared by the benchmarks: latency percentiles, machine description, reports.
const fs = require('fs');
const os = require('os');
const path = require('path');

function percentile(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `task` with `concurrency` in-flight calls for `seconds`; returns rps and latencies (ms). */
async function closedLoop(task, { concurrency, seconds }) {
  const latencies = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const t0 = process.hrtime.bigint();
      try {
        await task();
      } catch {
        errors++;
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: Math.round(latencies.length / elapsed),
    p50: +percentile(latencies, 50).toFixed(2),
    p99: +percentile(latencies, 99).toFixed(2),
  };
}

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

function writeResult(name, result) {
  const dir = path.join(__dirname, '..', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({ name, at: new Date().toISOString(), machine: machine(), ...result }, null, 2) +
      '\n',
  );
  return file;
}

/** CPU seconds (user + system) a process has used so far, from /proc (100 ticks a second); 0 once it is gone. */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * The command line as `{ name: value }`: `--name value`, or `--flag` alone (true). `--help`
 * prints `usage` and exits. Options listed in `whole` take the next argument as it is, leading
 * dashes and all (e.g. --node-flags "--max-semi-space-size=32").
 */
function cliArgs(usage, whole = []) {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(usage);
    process.exit(0);
  }
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue;
    const name = argv[i].slice(2);
    const next = argv[i + 1];
    if (next !== undefined && (whole.includes(argv[i]) || !next.startsWith('--'))) {
      args[name] = next;
      i++;
    } else args[name] = true;
  }
  return args;
}

// The Postgres backends serving database `db`, found by their process titles ("postgres:
// 15/main: <user> <db> <client> <state>") in /proc: cheap enough to sample every second (a psql
// per sample cost the machine ~5 % of its CPU during the very run it measured).
function backendPids(db) {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let title;
    try {
      title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (title.startsWith('postgres: ') && title.split(/[\s\0]+/).includes(db)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * CPU seconds the Postgres backends serving database `db` use from now on. Backends come and go
 * (pools grow and shrink), so each is read at every sample() (and every `everyMs` ms if given)
 * and counted up to its last reading from what it had used at the start (0 for one born later):
 * one that exits between two samples loses at most what it used since the last, and the sum
 * never goes backwards (a reading of 0, its process gone, is not kept). used() samples once more,
 * stops the timer and gives the total.
 */
function backendCpuMeter(db, everyMs = 0) {
  const start = new Map(backendPids(db).map((pid) => [pid, cpuSeconds(pid)]));
  const last = new Map(start);
  const sample = () => {
    for (const pid of backendPids(db)) {
      const cpu = cpuSeconds(pid);
      if (cpu > 0) last.set(pid, cpu);
    }
  };
  const timer = everyMs ? setInterval(sample, everyMs) : null;
  timer?.unref();
  return {
    sample,
    used() {
      if (timer) clearInterval(timer);
      sample();
      let total = 0;
      for (const [pid, cpu] of last) total += cpu - (start.get(pid) ?? 0);
      return total;
    },
  };
}

module.exports = { percentile, closedLoop, machine, writeResult, cpuSeconds, backendPids, backendCpuMeter, cliArgs };
