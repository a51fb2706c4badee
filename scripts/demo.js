#!/usr/bin/env node
'use strict';
/**
 * `npm run demo` on a running system (`npm start`): a workspace and key, a generated CSV of
 * leads imported with a progress bar, a drip campaign with an A/B step and a wait, launched
 * and followed live until it completes, then its performance and where to look next.
 *   npm run demo -- --leads 10000 --wait-minutes 1
 */
const { execFileSync } = require('child_process');
const { createHash, randomBytes } = require('crypto');
const path = require('path');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const LEADS = Number(opt('leads', 10000));
const WAIT_MINUTES = Number(opt('wait-minutes', 1));
const BASE = process.env.DEMO_URL || process.env.PUBLIC_API_URL || 'http://127.0.0.1:3000';
const MAIL = `http://127.0.0.1:${process.env.MAILCATCHER_HTTP_PORT || 1080}`;
const root = path.resolve(__dirname, '..');
const tty = process.stdout.isTTY;

function bar(label, fraction, extra) {
  const width = 30;
  const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
  const line = `${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}%  ${extra}`;
  if (tty) process.stdout.write(`\r${line}\x1b[K`);
  else process.stdout.write(`${line}\n`);
}

async function api(key, method, url, body) {
  const init = { method, headers: { authorization: `Bearer ${key}` } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${BASE}/api/v1${url}`, init);
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${json.message || JSON.stringify(json)}`);
  return json.data;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const eta = (s) => (s == null ? '-' : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

function generateCsv(domain, source) {
  const first = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus'];
  const last = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds'];
  const industries = ['technology', 'finance', 'retail', 'health'];
  const zones = ['America/New_York', 'Europe/Paris', 'Asia/Tokyo', 'America/Los_Angeles'];
  const lines = ['email,first_name,last_name,company,industry,country,timezone,lead_score,consent'];
  for (let i = 0; i < LEADS; i++) {
    lines.push(
      [
        `lead${i}@${domain}`,
        first[i % 10],
        last[(i * 7) % 10],
        `"Company ${i % 500}, Inc."`,
        industries[i % 4],
        i % 3 ? 'US' : 'CA',
        zones[i % 4],
        (i * 37) % 100,
        'true',
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** A stable number in [0, 100) per address and action, so a rerun engages the same people. */
const roll = (email, what) => createHash('sha256').update(`${what}:${email}`).digest().readUInt32BE(0) % 100;

/**
 * People reading the welcome mail: for a sample of recipients, the demo opens the real tracking
 * pixel and follows the real click link found in the caught message. Variant B is written to do
 * a little better (opens 42% vs 30%, clicks 12% vs 6%), so the A/B report has something to say.
 */
async function engage(domain, sample) {
  const counts = { opened: 0, clicked: 0 };
  for (let i = 0; i < sample; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, sample - i) }, async (_, j) => {
        const email = `lead${i + j}@${domain}`;
        const list = await (await fetch(`${MAIL}/api/messages?to=${encodeURIComponent(email)}`)).json();
        const welcome = list.find((m) => /Welcome|account is ready/.test(m.subject));
        if (!welcome) return;
        const b = /account is ready/.test(welcome.subject);
        if (roll(email, 'open') < (b ? 42 : 30)) {
          const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(welcome.html);
          if (pixel && (await fetch(pixel[1])).ok) counts.opened++;
          if (roll(email, 'click') < (b ? 12 : 6) * 100 / (b ? 42 : 30)) {
            const link = /href="([^"]+\/t\/c\/[^"]+)"/.exec(welcome.html);
            if (link && (await fetch(link[1], { redirect: 'manual' })).status === 302) counts.clicked++;
          }
        }
      }),
    );
  }
  return counts;
}

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => '  ' + r.map((v, c) => (c ? String(v).padStart(widths[c]) : String(v).padEnd(widths[c]))).join('  ')).join('\n');
}

async function main() {
  try {
    await fetch(`${BASE}/health`);
  } catch {
    throw new Error(`Nothing answers at ${BASE}: start the system with \`npm start\` first.`);
  }
  const tag = randomBytes(3).toString('hex');
  const tenant = `demo-${tag}`;
  const domain = `${tenant}.example`;
  const key = execFileSync(process.execPath, [path.join(root, 'dist/apps/campaigns/src/cli/admin-cli.js'), 'api-key', 'create', '--tenant', tenant, '--workspace', 'main'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .toString()
    .trim()
    .split('\n')
    .pop();
  console.log(`Workspace ${tenant}/main, API key ${key.slice(0, 16)}… (export KEY=${key})\n`);

  const form = new FormData();
  form.append('file', new Blob([generateCsv(domain, tenant)], { type: 'text/csv' }), 'demo-leads.csv');
  form.append('source', `demo-${tag}`);
  form.append('duplicatePolicy', 'update');
  let job = await api(key, 'POST', '/leads/import', form);
  while (!['completed', 'failed'].includes(job.status)) {
    bar('import', job.progress.rowsDone / LEADS, `${job.progress.rowsDone}/${LEADS} rows  ${job.progress.rowsPerSecond ?? '-'} rows/s  ETA ${eta(job.progress.etaSeconds)}`);
    await sleep(300);
    job = await api(key, 'GET', `/leads/imports/${job.id}`);
  }
  bar('import', 1, `${job.result.created} created, ${job.result.updated} updated, ${job.result.rejected} rejected`);
  console.log('\n');
  if (job.status === 'failed') throw new Error(`import failed: ${job.error}`);

  const segment = await api(key, 'POST', '/segments', {
    name: `Demo leads ${tag}`,
    rules: { combinator: 'and', rules: [{ field: 'source', operator: 'eq', value: `demo-${tag}` }] },
  });
  const campaign = await api(key, 'POST', '/campaigns', {
    name: `Demo drip ${tag}`,
    type: 'drip',
    goal: 'lead_gen',
    fromEmail: `hello@${domain}`,
    fromName: 'Demo Team',
    targetAudience: { segments: [segment.id] },
    settings: { trackOpens: true, trackClicks: true },
  });
  await api(key, 'POST', `/campaigns/${campaign.id}/steps`, {
    type: 'email',
    name: 'Welcome (A/B)',
    variants: [
      { name: 'A', weight: 50, subject: 'Welcome, {{firstName|there}}', bodyHtml: '<p>Hi {{firstName|there}}, meet <a href="https://example.com/tour">the tour</a>.</p>' },
      { name: 'B', weight: 50, subject: '{{firstName|Friend}}, your account is ready', bodyHtml: '<p>{{company|Your team}} is set up. <a href="https://example.com/start">Start here</a>.</p>' },
    ],
  });
  await api(key, 'POST', `/campaigns/${campaign.id}/steps`, { type: 'wait', name: 'Give them time', delay: { amount: WAIT_MINUTES, unit: 'minutes' } });
  await api(key, 'POST', `/campaigns/${campaign.id}/steps`, {
    type: 'email',
    name: 'Follow-up',
    subject: 'Any questions, {{firstName|there}}?',
    bodyHtml: '<p>Reply to this email and a human will answer.</p>',
  });
  await api(key, 'POST', `/campaigns/${campaign.id}/launch`, {});
  console.log(`Campaign "${campaign.name}" launched (${campaign.id}): A/B welcome, ${WAIT_MINUTES} min wait, follow-up\n`);

  let progress;
  let engaged = null;
  const sample = Math.min(LEADS, 2000);
  for (;;) {
    progress = await api(key, 'GET', `/campaigns/${campaign.id}/progress`);
    const p = progress.progress;
    bar('sending', p.total ? p.processed / p.total : 0, `${p.processed}/${p.total}  ${progress.currentRate}/s  ETA ${progress.estimatedCompletion ? eta((new Date(progress.estimatedCompletion) - Date.now()) / 1000) : '-'}  [${progress.status}]`);
    if (['completed', 'cancelled', 'failed'].includes(progress.status)) break;
    if (!engaged && p.processed >= LEADS) {
      // Everyone has the welcome mail and waits for the follow-up: time for people to read it.
      engaged = await engage(domain, sample);
      console.log(`\n\nReaders: of the first ${sample} recipients, ${engaged.opened} opened the welcome mail (tracking pixel) and ${engaged.clicked} clicked its link\n`);
    }
    await sleep(1000);
  }
  console.log('\n');

  await sleep(1500); // let the last events reach analytics
  const perf = await api(key, 'GET', `/campaigns/${campaign.id}/performance`);
  const m = perf.metrics;
  const r = perf.rates;
  console.log('Performance (from the analytics service)');
  console.log(
    table([
      ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'unsubscribed', 'delivery', 'open rate', 'click rate'],
      [m.sent, m.delivered, m.opened, m.clicked, m.bounced, m.unsubscribed, `${r.deliveryRate}%`, `${r.openRate}%`, `${r.clickRate}%`],
    ]),
  );
  const ab = await api(key, 'GET', `/campaigns/${campaign.id}/ab-results`).catch(() => null);
  const step = ab?.steps?.find((s) => s.variants?.length > 1);
  if (step) {
    const welcome = (await api(key, 'GET', `/campaigns/${campaign.id}`)).steps.find((s) => s.variants?.length);
    const names = Object.fromEntries((welcome?.variants ?? []).map((v) => [v.id, v.name]));
    console.log(`\nA/B test of the welcome step (by ${step.metric} rate, ${step.confidenceLevel * 100}% confidence)`);
    console.log(
      table([
        ['variant', 'sent', 'opened', 'clicked', 'open rate', 'click rate', 'p-value vs leader'],
        ...step.variants.map((v) => [names[v.variantId] ?? v.variantId.slice(0, 8), v.sent, v.opened, v.clicked, `${v.openRate}%`, `${v.clickRate}%`, v.vsLeader ? v.vsLeader.pValue.toFixed(4) : '(leader)']),
      ]),
    );
    const winner = step.winner ? names[step.winner] ?? step.winner : null;
    console.log(winner ? `  winner: ${winner} (significant)` : `  no significant winner yet (leader: ${names[step.leader] ?? step.leader ?? '-'})`);
  }
  console.log(`
Where to look next
  Progress     curl -s ${BASE}/api/v1/campaigns/${campaign.id}/progress -H "Authorization: Bearer $KEY"
  Analytics    ${BASE}/api/v1/campaigns/${campaign.id}/statistics?period=all
  Mail caught  ${MAIL}/api/messages?to=lead0@${domain}
  Queues       ${BASE}/admin/queues   (password: npm run --silent admin -- api-key create --tenant ${tenant} --admin)
  API docs     ${BASE}/docs
`);
}

main().catch((err) => {
  console.error(`\ndemo failed: ${err.message}`);
  process.exit(1);
});
