#!/usr/bin/env node
'use strict';
/**
 * Dry-run speed: POST /api/v1/campaigns/:id/simulate over an audience of N imported leads
 * (default 100,000) for a drip with an A/B step, a wait, a send window in each contact's time
 * zone and a daily limit. Target: under 10 s. Needs a running system (`npm start`).
 * Usage: node bench/simulate/run.js [--contacts 100000]
 */
const { execFileSync } = require('child_process');
const path = require('path');
const { writeResult } = require('../lib/measure');

const i = process.argv.indexOf('--contacts');
const CONTACTS = i === -1 ? 100000 : Number(process.argv[i + 1]);
const BASE = process.env.BENCH_URL ?? 'http://127.0.0.1:3000';
const root = path.resolve(__dirname, '../..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const tag = `sim-${Date.now().toString(36)}`;
  const key = execFileSync(
    process.execPath,
    [
      path.join(root, 'dist/apps/campaigns/src/cli/admin-cli.js'),
      'api-key',
      'create',
      '--tenant',
      tag,
      '--workspace',
      'main',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] },
  )
    .toString()
    .trim()
    .split('\n')
    .pop();
  const call = async (method, url, body) => {
    const init = { method, headers: { authorization: `Bearer ${key}` } };
    if (body instanceof FormData) init.body = body;
    else if (body) {
      init.body = JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${BASE}/api/v1${url}`, init);
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  const zones = [
    'America/New_York',
    'Europe/Paris',
    'Asia/Tokyo',
    'America/Los_Angeles',
    'Australia/Sydney',
  ];
  const rows = ['email,first_name,timezone,consent'];
  for (let n = 0; n < CONTACTS; n++)
    rows.push(`c${n}@${tag}.example,C${n},${zones[n % zones.length]},true`);
  const form = new FormData();
  form.append('file', new Blob([rows.join('\n')], { type: 'text/csv' }), 'sim.csv');
  form.append('source', tag);
  let job = await call('POST', '/leads/import', form);
  while (!['completed', 'failed'].includes(job.status)) {
    await sleep(500);
    job = await call('GET', `/leads/imports/${job.id}`);
  }
  const segment = await call('POST', '/segments', {
    name: tag,
    rules: { combinator: 'and', rules: [{ field: 'source', operator: 'eq', value: tag }] },
  });
  const campaign = await call('POST', '/campaigns', {
    name: tag,
    type: 'drip',
    fromEmail: 'bench@sim.example',
    targetAudience: { segments: [segment.id] },
    settings: {
      dailyLimit: 20000,
      sendWindow: { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    },
  });
  await call('POST', `/campaigns/${campaign.id}/steps`, {
    type: 'email',
    variants: [
      { name: 'A', weight: 60, subject: 'A {{firstName}}', bodyText: 'a' },
      { name: 'B', weight: 40, subject: 'B {{firstName}}', bodyText: 'b' },
    ],
  });
  await call('POST', `/campaigns/${campaign.id}/steps`, {
    type: 'wait',
    delay: { amount: 2, unit: 'days' },
  });
  await call('POST', `/campaigns/${campaign.id}/steps`, {
    type: 'email',
    subject: 'Follow-up',
    bodyText: 'f',
  });

  const started = Date.now();
  const plan = await call('POST', `/campaigns/${campaign.id}/simulate`, {});
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `simulate: ${CONTACTS} contacts, ${plan.totals.sends} planned sends over ${plan.totals.days} days in ${seconds.toFixed(2)} s (service ${plan.tookMs} ms); target < 10 s`,
  );
  const file = writeResult('simulate', {
    contacts: CONTACTS,
    seconds,
    serviceMs: plan.tookMs,
    sends: plan.totals.sends,
    days: plan.totals.days,
  });
  console.log(`written ${path.relative(root, file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
