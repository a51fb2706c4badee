#!/usr/bin/env node
'use strict';
/**
 * Executor send throughput, end to end, in one run:
 *   1. a bare nodemailer loop (pooled, same pool size) to the bench SMTP catcher: the ceiling;
 *   2. a broadcast of N contacts through the executor (launch -> enrollment -> dispatch -> claim
 *      -> SMTP -> outcome), timed from the launch response to the last recorded send;
 *   3. the same N through the HTTP channel (a webhook step) to a local no-op receiver process.
 * Executor RSS is sampled every second. Needs `node scripts/build.js` and the infrastructure
 * (scripts/infra.sh). Usage: node bench/send/run.js [--contacts 100000] [--bare 30000]
 */
const { spawn } = require('child_process');
const nodemailer = require('nodemailer');
const { up, down, api, audienceOf, rssMb, SMTP } = require('./stack');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const N = Number(args.contacts ?? 100000);
const BARE = Number(args.bare ?? 30000);
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

async function campaign(key, step, name) {
  const c = await api(key, 'POST', '/api/v1/campaigns', { name, type: 'broadcast', fromEmail: 'bench@bench.example', fromName: 'Bench', settings: { trackOpens: false, trackClicks: false } });
  await api(key, 'POST', `/api/v1/campaigns/${c.id}/steps`, step);
  return c.id;
}

async function run(key, id, total, executorPid, rss) {
  const t0 = Date.now();
  await api(key, 'POST', `/api/v1/campaigns/${id}/launch`, {});
  let progress;
  let firstAt = null;
  for (;;) {
    progress = await api(key, 'GET', `/api/v1/campaigns/${id}/progress`);
    rss.push(rssMb(executorPid));
    if (!firstAt && progress.progress.processed > 0) firstAt = Date.now();
    if (progress.progress.processed >= total) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const seconds = (Date.now() - t0) / 1000;
  return { seconds, rate: Math.round(total / seconds), sendingRate: Math.round(total / ((Date.now() - firstAt) / 1000)), progress: progress.progress };
}

async function main() {
  const audience = audienceOf(N, (i) => `c-${i}-${TAG}@bench.example`);
  const receiver = spawn(process.execPath, ['-e', "require('http').createServer((q,s)=>{q.resume();q.on('end',()=>s.end('ok'))}).listen(2590,'127.0.0.1')"], { stdio: 'ignore' });
  const { leads, executor, key } = await up({ audience, executorEnv: { SEND_CONCURRENCY: '256', SMTP_POOL_SIZE: String(POOL), MAX_QUEUE_DEPTH: '100000', DISPATCH_BATCH: '10000' } });
  const rss = [];
  try {
    const bare = await bareLoop();
    console.log(`bare nodemailer loop: ${BARE} messages at ${Math.round(bare)} msg/s`);
    const smtpId = await campaign(key, { type: 'email', subject: 'Hello {{firstName}}', bodyHtml: '<p>Hi {{firstName}} from {{company}}</p>', bodyText: 'Hi {{firstName}}' }, 'Bench SMTP');
    const smtp = await run(key, smtpId, N, executor.pid, rss);
    const check = await (await fetch(`http://127.0.0.1:${SMTP.http}/api/messages/count`)).json();
    console.log(`executor SMTP broadcast: ${N} contacts in ${smtp.seconds.toFixed(1)} s = ${smtp.rate} msg/s end to end (${smtp.sendingRate} msg/s once sending), ${Math.round((smtp.rate / bare) * 100)}% of the bare loop; catcher holds ${check.count} (bare + executor); outcomes ${JSON.stringify(smtp.progress)}`);
    const httpAudience = N;
    const httpId = await campaign(key, { type: 'webhook', webhook: { url: 'http://127.0.0.1:2590/inbox' } }, 'Bench HTTP');
    const http = await run(key, httpId, httpAudience, executor.pid, rss);
    console.log(`executor HTTP channel: ${httpAudience} messages in ${http.seconds.toFixed(1)} s = ${http.rate} msg/s end to end (${http.sendingRate} msg/s once sending); outcomes ${JSON.stringify(http.progress)}`);
    console.log(`executor RSS: start ${rss[0]} MB, max ${Math.max(...rss)} MB, end ${rss[rss.length - 1]} MB (sampled every second)`);
  } finally {
    receiver.kill();
    await down(leads);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
