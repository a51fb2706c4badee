#!/usr/bin/env node
'use strict';
/**
 * Executor send throughput, end to end, each figure beside a baseline measured in the same run:
 *   1. a bare nodemailer loop (pooled, same pool size) to the bench SMTP catcher: the SMTP ceiling,
 *      run before and again after the broadcast (the ratio is to their mean);
 *   2. a broadcast of N contacts through the executor over SMTP (launch -> enrollment -> dispatch
 *      -> claim -> SMTP -> outcome), timed from the launch request to the last recorded outcome
 *      (`finished_at` of the campaign's last delivery; the progress poll, once a second, is
 *      printed beside it);
 *   3. a raw BullMQ no-op worker (one job per message, same Redis, same concurrency as the
 *      executor's send worker): what the queue alone moves per second;
 *   4. the same N through the HTTP channel (a webhook step) to a local no-op receiver process,
 *      once per `--http-batch` size: the step's `webhook.batchSize` (messages per POST; 1 = one
 *      POST per message). The receiver counts what it got, checked against N.
 * Executor RSS is sampled every second. The audience comes from a stand-in for the leads RPC.
 * Needs `node scripts/build.js` and the infrastructure (scripts/infra.sh).
 */
const { spawn } = require('child_process');
const os = require('os');
const nodemailer = require('nodemailer');
const { Queue, Worker } = require('bullmq');
const Redis = require('ioredis');
const { up, down, api, audienceOf, rssMb, cpuSeconds, outboxBacklog, sendTimes, SMTP, DB, REDIS_DB, RECEIVER_PORT } = require('./stack');
const { writeResult, cliArgs, backendCpuMeter } = require('../lib/measure');

const USAGE = `Usage: node bench/send/run.js [options]
  --contacts N      broadcast audience (default 100000)
  --bare N          messages in the bare nodemailer loop (default 30000)
  --bullmq N        jobs through the raw BullMQ no-op worker (default: --contacts)
  --channels LIST   smtp,http (default both)
  --http-batch LIST webhook.batchSize of the HTTP runs, one run each (default 100,1)
  --concurrency N   SEND_CONCURRENCY of the executor and of the BullMQ baseline (default 1000)
  --batch-size N    SEND_BATCH_SIZE of the executor: steps per send job (default 200)
  --cpu-prof DIR    run the executor with --cpu-prof, profiles written to DIR
  --node-flags "…"  more node flags for the executor (e.g. "--single-threaded-gc")
  --save            write bench/results/send.json
  BENCH_INSTANCE=n  (env, 0-5) own database, Redis db and ports, beside someone else's run`;

const args = cliArgs(USAGE, ['--node-flags']);
const N = Number(args.contacts ?? 100000);
const BARE = Number(args.bare ?? 30000);
const BULLMQ = Number(args.bullmq ?? N);
const CHANNELS = String(args.channels ?? 'smtp,http').split(',');
const CONCURRENCY = Number(args.concurrency ?? 1000);
const JOB_BATCH = Number(args['batch-size'] ?? 200);
const HTTP_BATCHES = String(args['http-batch'] ?? '100,1').split(',').map(Number);
const POOL = 8;
const TAG = Date.now().toString(36);

async function bareLoop() {
  const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: SMTP.port, maxConnections: POOL, maxMessages: Infinity });
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < BARE) {
      const i = next++;
      await transport.sendMail({
        from: { name: 'Bench', address: 'bench@bench.example' },
        to: `bare-${i}-${TAG}@bench.example`,
        subject: `Hello Bench${i}`,
        html: `<p>Hi Bench${i} from Bench Inc</p>`,
        text: `Hi Bench${i}`,
        headers: { 'List-Unsubscribe': '<http://127.0.0.1/t/u/x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
    }
  };
  await Promise.all(Array.from({ length: POOL * 8 }, worker));
  transport.close();
  return BARE / ((Date.now() - started) / 1000);
}

/**
 * The raw BullMQ baseline: BULLMQ one-message jobs added in bulk, then drained by a worker whose
 * processor does nothing, with the executor's concurrency. Rate = jobs / (add + drain time).
 */
async function bullmqBaseline() {
  const url = `redis://127.0.0.1:6379/${REDIS_DB}`;
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const prefix = `{cpbenchbase}`;
  const name = `noop-${TAG}`;
  const queue = new Queue(name, { connection, prefix });
  const started = Date.now();
  for (let i = 0; i < BULLMQ; i += 1000) {
    const jobs = [];
    for (let j = i; j < Math.min(i + 1000, BULLMQ); j++) jobs.push({ name: 'send', data: { enrollmentId: `e-${j}`, campaignId: TAG, stepIndex: 0 }, opts: { jobId: `e-${j}-0`, removeOnComplete: true } });
    await queue.addBulk(jobs);
  }
  const added = Date.now();
  let done = 0;
  const drained = new Promise((resolve) => {
    const worker = new Worker(name, async () => undefined, { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix, concurrency: CONCURRENCY });
    worker.on('completed', () => {
      if (++done === BULLMQ) resolve(worker);
    });
  });
  const worker = await drained;
  const finished = Date.now();
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return {
    jobs: BULLMQ,
    addPerSecond: Math.round(BULLMQ / ((added - started) / 1000)),
    drainPerSecond: Math.round(BULLMQ / ((finished - added) / 1000)),
    rate: Math.round(BULLMQ / ((finished - started) / 1000)),
  };
}

async function campaign(key, step, name) {
  const c = await api(key, 'POST', '/api/v1/campaigns', { name, type: 'broadcast', fromEmail: 'bench@bench.example', fromName: 'Bench', settings: { trackOpens: false, trackClicks: false } });
  await api(key, 'POST', `/api/v1/campaigns/${c.id}/steps`, step);
  return c.id;
}

/**
 * CPU seconds of the executor, the mail catcher and this database's Postgres backends (sampled
 * at every progress poll: backendCpuMeter).
 */
function cpuMeter(pids) {
  const postgres = backendCpuMeter(DB);
  const executor0 = cpuSeconds(pids.executor);
  const catcher0 = cpuSeconds(pids.catcher);
  return {
    sample: postgres.sample,
    used: () => ({
      executor: cpuSeconds(pids.executor) - executor0,
      postgres: postgres.used(),
      catcher: cpuSeconds(pids.catcher) - catcher0,
    }),
  };
}

async function run(key, id, total, pids, rss) {
  const executorPid = pids.executor;
  const meter = cpuMeter(pids);
  const from = rss.length;
  const t0 = Date.now();
  await api(key, 'POST', `/api/v1/campaigns/${id}/launch`, {});
  let progress;
  for (;;) {
    progress = await api(key, 'GET', `/api/v1/campaigns/${id}/progress`);
    rss.push(rssMb(executorPid));
    meter.sample();
    if (progress.progress.processed >= total) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  // The end is the last recorded outcome, not the poll that saw it (up to a second later).
  const polledSeconds = (Date.now() - t0) / 1000;
  const times = sendTimes(id);
  const seconds = (times.last - t0) / 1000;
  // Every message's events must reach Kafka too: how far the outbox relay was behind.
  const backlog = outboxBacklog();
  while (outboxBacklog() > 0 && Date.now() - t0 < seconds * 1000 + 120000) await new Promise((r) => setTimeout(r, 200));
  const relay = { backlogAtEnd: backlog, drainedAfterSeconds: +((Date.now() - t0) / 1000 - seconds).toFixed(1), left: outboxBacklog() };
  console.log(`  outbox: ${backlog} events not yet on Kafka when the last send was recorded; drained ${relay.drainedAfterSeconds} s later (${relay.left} left)`);
  const used = meter.used();
  const cpu = Object.fromEntries(Object.entries(used).map(([k, v]) => [k, +v.toFixed(1)]));
  const load = os.loadavg().map((l) => +l.toFixed(2));
  const mine = rss.slice(from);
  const half = Math.floor(mine.length / 2);
  const rssMbRun = { max: Math.max(...mine), maxFirstHalf: Math.max(...mine.slice(0, half || 1)), maxSecondHalf: Math.max(...mine.slice(half)) };
  console.log(`  cpu seconds during the run: ${JSON.stringify(cpu)}; load average at the end ${load.join(' ')}; executor RSS max ${rssMbRun.max} MB (first half ${rssMbRun.maxFirstHalf}, second half ${rssMbRun.maxSecondHalf})`);
  console.log(`  timing: launch request to the last recorded outcome ${seconds.toFixed(2)} s (the once-a-second progress poll saw it at ${polledSeconds.toFixed(1)} s); first outcome ${((times.first - t0) / 1000).toFixed(2)} s after the launch request`);
  return { seconds, polledSeconds, relay, rssMb: rssMbRun, cpuSeconds: cpu, loadAverage: load, rate: Math.round(total / seconds), polledRate: Math.round(total / polledSeconds), sendingRate: Math.round(total / ((times.last - times.first) / 1000)), firstOutcomeSeconds: +((times.first - t0) / 1000).toFixed(2), progress: progress.progress };
}

async function main() {
  const audience = audienceOf(N, (i) => `c-${i}-${TAG}@bench.example`);
  // No-op receiver: answers 200 without reading the JSON; counts messages by x-batch-size.
  const receiverCode = `let n=0,r=0;require('http').createServer((q,s)=>{if(q.method==='GET')return s.end(JSON.stringify({messages:n,requests:r}));r++;n+=Number(q.headers['x-batch-size']||1);q.resume();q.on('end',()=>s.end('ok'))}).listen(${RECEIVER_PORT},'127.0.0.1')`;
  const receiver = spawn(process.execPath, ['-e', receiverCode], { stdio: 'ignore' });
  const received = async () => (await fetch(`http://127.0.0.1:${RECEIVER_PORT}/count`)).json();
  const executorArgs = [
    ...(typeof args['node-flags'] === 'string' ? args['node-flags'].split(' ').filter(Boolean) : []),
    ...(args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : []),
  ];
  const { leads, executor, catcher, key } = await up({ audience, executorArgs, executorEnv: { SEND_CONCURRENCY: String(CONCURRENCY), SEND_BATCH_SIZE: String(JOB_BATCH), SMTP_POOL_SIZE: String(POOL) } });
  const rss = [rssMb(executor.pid)];
  const pids = { executor: executor.pid, catcher: catcher?.pid };
  const result = { contacts: N, concurrency: CONCURRENCY, sendBatchSize: JOB_BATCH, smtpPool: POOL };
  try {
    if (CHANNELS.includes('smtp')) {
      const bareBefore = await bareLoop();
      console.log(`baseline: bare nodemailer loop, ${BARE} messages, pool of ${POOL}: ${Math.round(bareBefore)} msg/s (before the broadcast)`);
      const smtpId = await campaign(key, { type: 'email', subject: 'Hello {{firstName}}', bodyHtml: '<p>Hi {{firstName}} from {{company}}</p>', bodyText: 'Hi {{firstName}}' }, 'Bench SMTP');
      const smtp = await run(key, smtpId, N, pids, rss);
      const check = await (await fetch(`http://127.0.0.1:${SMTP.http}/api/messages/count`)).json();
      // The bare loop again after the broadcast: on a machine whose speed drifts (seen: the
      // same loop at 588-847 msg/s from one run to the next) one reading before is not enough.
      const bareAfter = await bareLoop();
      console.log(`baseline: bare nodemailer loop, ${BARE} messages, pool of ${POOL}: ${Math.round(bareAfter)} msg/s (after the broadcast)`);
      const bare = (bareBefore + bareAfter) / 2;
      const ratio = smtp.rate / bare;
      console.log(`executor SMTP broadcast: ${N} contacts in ${smtp.seconds.toFixed(2)} s = ${smtp.rate} msg/s end to end (${smtp.polledRate} by the once-a-second poll; ${smtp.sendingRate} msg/s from the first outcome to the last); ratio to the bare loop (mean of before and after, ${Math.round(bare)} msg/s) ${ratio.toFixed(2)} (target >= 0.80; ${(smtp.rate / bareBefore).toFixed(2)} to the one before, ${(smtp.rate / bareAfter).toFixed(2)} to the one after); catcher held ${check.count} after the broadcast (bare + executor); outcomes ${JSON.stringify(smtp.progress)}`);
      result.smtp = { bareRate: Math.round(bare), bareBefore: Math.round(bareBefore), bareAfter: Math.round(bareAfter), bareMessages: BARE, ...smtp, ratio: +ratio.toFixed(3), catcherCount: check.count };
    }
    if (CHANNELS.includes('http')) {
      const base = await bullmqBaseline();
      console.log(`baseline: raw BullMQ no-op worker, ${base.jobs} jobs, concurrency ${CONCURRENCY}: ${base.rate} jobs/s (add ${base.addPerSecond}/s, drain ${base.drainPerSecond}/s)`);
      for (const batchSize of HTTP_BATCHES) {
        const before = await received();
        const webhook = { url: `http://127.0.0.1:${RECEIVER_PORT}/inbox`, batchSize };
        const httpId = await campaign(key, { type: 'webhook', webhook }, `Bench HTTP ${batchSize}`);
        const http = await run(key, httpId, N, pids, rss);
        const after = await received();
        const got = { messages: after.messages - before.messages, requests: after.requests - before.requests };
        const ratio = http.rate / base.rate;
        console.log(`executor HTTP channel, webhook.batchSize ${batchSize}: ${N} messages in ${http.seconds.toFixed(2)} s = ${http.rate} msg/s end to end (target >= 10000; ${http.polledRate} by the once-a-second poll; ${http.sendingRate} msg/s from the first outcome to the last); ratio to the raw BullMQ worker ${ratio.toFixed(2)}; the receiver got ${got.messages} messages in ${got.requests} requests; outcomes ${JSON.stringify(http.progress)}`);
        const figure = { batchSize, bullmq: base, ...http, ratioToBullmq: +ratio.toFixed(3), received: got };
        // The first size listed is the headline figure (`http`); every size is in `httpRuns`.
        result.http ??= figure;
        (result.httpRuns ??= []).push(figure);
      }
    }
    const half = rss.slice(Math.floor(rss.length / 2));
    result.rssMb = { start: rss[0], max: Math.max(...rss), end: rss[rss.length - 1], maxSecondHalf: Math.max(...half), samples: rss.length };
    console.log(`executor RSS: start ${rss[0]} MB, max ${result.rssMb.max} MB, max over the second half ${result.rssMb.maxSecondHalf} MB, end ${result.rssMb.end} MB (sampled every second; target < 400 MB)`);
    console.log('the audience is served by a stand-in for the leads RPC (bench/send/stack.js), same contract over real TCP');
    if (args.save) console.log(`written to ${writeResult('send', result)}`);
  } finally {
    receiver.kill();
    await down(leads);
  }
}

// Exits explicitly: a keep-alive socket or client left open must not keep a finished bench alive.
main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
