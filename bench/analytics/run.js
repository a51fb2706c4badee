#!/usr/bin/env node
'use strict';
/**
 * Analytics bench (docs/analytics.md). Runs its own campaigns, analytics and gateway processes
 * against a fresh bench database and fresh topics (`bench<ts>.` prefix), then measures:
 *   1. sustained ingestion: N events (default 1,000,000) produced first; a bare kafkajs consumer
 *      that only counts them (raw-consumer.js, the baseline) reads them all, then the analytics
 *      consumer is started; consumed events/s from its first to its last transaction, the ratio
 *      to the baseline, and the rollups checked against what was produced;
 *   2. produce -> visible through GET /performance latency at a steady rate (default 5,000/s);
 *   3. GET /api/v1/analytics/campaigns over 30 days x 1,000 campaigns, p50/p99: first while
 *      events stream in (reports recomputed), then with the data still (cached reports).
 * Needs Postgres, Redis and Kafka (scripts/infra.sh) and a build (node scripts/build.js).
 * Usage: node bench/analytics/run.js [--events 1000000] [--campaigns 1000] [--days 30]
 *        [--rate 5000] [--seconds 20] [--queries 200] [--live-rate 1000]
 */
const { execFile } = require('child_process');
const { randomUUID } = require('crypto');
const path = require('path');
const os = require('os');
const { Kafka, logLevel } = require('kafkajs');
const { Client } = require('pg');
const { percentile, writeResult } = require('../lib/measure');
const { makeGenerator } = require('./events');
const stack = require('./stack');

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce(
      (acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc),
      [],
    ),
);
const EVENTS = Number(args.events ?? 1_000_000);
const CAMPAIGNS = Number(args.campaigns ?? 1000);
const DAYS = Number(args.days ?? 30);
const RATE = Number(args.rate ?? 5000);
const SECONDS = Number(args.seconds ?? 20);
const QUERIES = Number(args.queries ?? 200);
const LIVE_RATE = Number(args['live-rate'] ?? 1000);
const TOPICS = ['campaign.events', 'lead.events', 'message.events', 'engagement.events'];
const log = (msg, extra = {}) =>
  console.log(JSON.stringify({ at: new Date().toISOString(), msg, ...extra }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function produceAll(producer, prefix, messages) {
  const byTopic = new Map();
  for (const m of messages) {
    const list = byTopic.get(m.topic) ?? [];
    list.push({ key: m.key, value: m.value });
    byTopic.set(m.topic, list);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic: prefix + topic, messages: msgs })),
  });
}

async function ingestion(ctx) {
  const { producer, prefix, tenant, campaignIds, pg } = ctx;
  const gen = makeGenerator({ ...tenant, campaigns: campaignIds, days: DAYS, total: EVENTS });
  const expected = {};
  const created = campaignIds.map((id, n) => ({
    topic: 'campaign.events',
    key: id,
    value: JSON.stringify({
      eventId: randomUUID(),
      type: 'campaign.created',
      version: 1,
      occurredAt: new Date().toISOString(),
      tenantId: tenant.tenantId,
      workspaceId: tenant.workspaceId,
      campaignId: id,
      data: { campaign: { id, name: `Bench campaign ${n}`, type: 'broadcast', status: 'active' } },
    }),
  }));
  await produceAll(producer, prefix, created);
  const t0 = Date.now();
  const BATCH = 10000;
  const inflight = [];
  for (let i = 0; i < EVENTS; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(EVENTS, i + BATCH); j++) {
      const e = gen(j);
      expected[e.type] = (expected[e.type] ?? 0) + 1;
      batch.push(e);
    }
    inflight.push(produceAll(producer, prefix, batch));
    if (inflight.length >= 4) await inflight.shift();
  }
  await Promise.all(inflight);
  const produceSeconds = (Date.now() - t0) / 1000;
  log('produced', { events: EVENTS, seconds: produceSeconds });

  const total = EVENTS + campaignIds.length;
  const raw = await rawBaseline(prefix, total);
  log('raw kafkajs consumer', raw);
  ctx.procs.push(stack.start('analytics', prefix));
  const started = Date.now();
  let first = null;
  let done = null;
  let consumed = 0;
  while (!done) {
    const [{ sum }] = (
      await pg
        .query(
          'SELECT coalesce(sum(next_offset), 0)::bigint AS sum FROM analytics.consumer_offsets',
        )
        .catch(() => ({ rows: [{ sum: 0 }] }))
    ).rows;
    consumed = Number(sum);
    if (consumed > 0 && !first) first = Date.now();
    if (consumed >= total) done = Date.now();
    if (Date.now() - started > 900_000)
      throw new Error(`ingestion stalled at ${consumed}/${total}`);
    if (!done) await sleep(100);
  }
  const seconds = (done - first) / 1000;
  const loadDuringIngestion = os.loadavg()[0];
  const [sums] = (
    await pg.query(
      `SELECT sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(bounced)::int AS bounced,
       sum(opens)::int AS opened, sum(clicks)::int AS clicked, sum(converted)::int AS converted
     FROM analytics.campaign_daily WHERE tenant_id = $1`,
      [tenant.tenantId],
    )
  ).rows;
  const want = {
    sent: expected['message.sent'],
    delivered: expected['message.delivered'],
    bounced: expected['message.bounced'],
    opened: expected['engagement.opened'],
    clicked: expected['engagement.clicked'],
    converted: expected['engagement.converted'],
  };
  const exact = JSON.stringify(sums) === JSON.stringify(want);
  const eventsPerSecond = Math.round(total / seconds);
  const result = {
    events: total,
    produceSeconds,
    consumeSeconds: seconds,
    eventsPerSecond,
    rawConsumer: raw,
    ratioToRaw: +(eventsPerSecond / raw.eventsPerSecond).toFixed(3),
    secondsFromProcessStart: (done - started) / 1000,
    rollupsExact: exact,
    rollups: sums,
    expected: want,
    loadAverage1m: loadDuringIngestion,
  };
  log('ingestion', result);
  // Autovacuum would do this within minutes of a bulk load; done here so the query phase
  // measures the steady state (planner statistics, visibility map), not the minute after.
  await pg.query(
    'VACUUM ANALYZE analytics.campaign_daily, analytics.variant_daily, analytics.workspace_hourly, analytics.rollup_hourly, analytics.campaigns',
  );
  return result;
}

/** The same topics read by a consumer that only counts messages, in its own process. */
function rawBaseline(prefix, total) {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [path.join(__dirname, 'raw-consumer.js'), prefix, String(total)],
      { timeout: 300_000 },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))),
    ),
  );
}

async function latency(ctx) {
  const { producer, prefix, tenant, campaignIds, probe } = ctx;
  const gen = makeGenerator({ ...tenant, campaigns: [...campaignIds, probe], days: 1, total: 1 });
  const probeIndex = campaignIds.length;
  const tickMs = 20;
  const perTick = Math.max(1, Math.round((RATE * tickMs) / 1000));
  const sentAt = [];
  const latencies = [];
  let produced = 0;
  let stop = false;
  const perf = async () => {
    const res = await fetch(`${stack.gatewayUrl}/api/v1/campaigns/${probe}/performance`, {
      headers: { authorization: `Bearer ${tenant.key}` },
    });
    return (await res.json()).data.metrics.sent;
  };
  const baseline = await perf();
  const poller = (async () => {
    let seen = 0;
    while (!stop || seen < sentAt.length) {
      const visible = (await perf()) - baseline;
      const now = performance.now();
      for (; seen < Math.min(visible, sentAt.length); seen++) latencies.push(now - sentAt[seen]);
      if (stop && performance.now() - stopAt > 10000) break;
    }
  })();
  let stopAt = 0;
  const start = performance.now();
  let i = 0;
  for (let tick = 0; tick < (SECONDS * 1000) / tickMs; tick++) {
    const due = start + tick * tickMs;
    if (performance.now() < due) await sleep(due - performance.now());
    const now = new Date();
    const batch = [];
    for (let k = 0; k < perTick - 1; k++) batch.push(gen(i++, i % campaignIds.length, now));
    // One probe event per tick: sent on the probe campaign, whose count the poller watches.
    let marker;
    do marker = gen(i++, probeIndex, now);
    while (marker.type !== 'message.sent');
    batch.push(marker);
    sentAt.push(performance.now());
    await produceAll(producer, prefix, batch);
    produced += batch.length;
  }
  const elapsed = (performance.now() - start) / 1000;
  stop = true;
  stopAt = performance.now();
  await poller;
  latencies.sort((a, b) => a - b);
  const result = {
    targetRate: RATE,
    achievedRate: Math.round(produced / elapsed),
    probes: sentAt.length,
    seenProbes: latencies.length,
    p50Ms: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
    maxMs: Math.round(latencies[latencies.length - 1] ?? 0),
    loadAverage1m: os.loadavg()[0],
  };
  log('latency', result);
  return result;
}

/** Produces `rate` events/s to the bench campaigns until the returned stop() is called. */
function trickle(ctx, rate) {
  const gen = makeGenerator({ ...ctx.tenant, campaigns: ctx.campaignIds, days: 1, total: 1 });
  let stopped = false;
  let i = 0;
  const done = (async () => {
    while (!stopped) {
      const batch = Array.from({ length: Math.max(1, rate / 50) }, () =>
        gen(i++, undefined, new Date()),
      );
      await produceAll(ctx.producer, ctx.prefix, batch);
      await sleep(20);
    }
  })();
  return async () => {
    stopped = true;
    await done;
  };
}

/**
 * `live`: while events stream in (`--live-rate`/s), so the workspace's data keeps changing and
 * reports are mostly recomputed; otherwise the data is still and repeated reports are served
 * from the service's cache (exact: it checks the workspace's change counter on every request).
 */
async function crossCampaignQuery(ctx, live) {
  const end = new Date().toISOString().slice(0, 10);
  const start = new Date(Date.now() - DAYS * 86400_000).toISOString().slice(0, 10);
  const url = `${stack.gatewayUrl}/api/v1/analytics/campaigns?startDate=${start}&endDate=${end}`;
  const get = async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${ctx.tenant.key}` } });
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    return (await res.json()).data;
  };
  for (let i = 0; i < 20; i++) await get();
  const stop = live ? trickle(ctx, LIVE_RATE) : null;
  const times = [];
  let last;
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    last = await get();
    times.push(performance.now() - t0);
  }
  await stop?.();
  times.sort((a, b) => a - b);
  const result = {
    mode: live ? `while ${LIVE_RATE} events/s stream in` : 'data still (cached reports)',
    queries: QUERIES,
    campaigns: last.summary.totalCampaigns,
    insights: last.insights.map((x) => x.type),
    p50Ms: +percentile(times, 50).toFixed(1),
    p99Ms: +percentile(times, 99).toFixed(1),
    loadAverage1m: os.loadavg()[0],
  };
  log(`cross-campaign query (${live ? 'live' : 'still'})`, result);
  return result;
}

async function main() {
  const prefix = `bench${Date.now()}.`;
  log('start', { cpus: os.cpus().length, loadAverage: os.loadavg() });
  stack.resetDatabase();
  const kafka = new Kafka({
    clientId: 'bench-analytics',
    brokers: ['127.0.0.1:9092'],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: TOPICS.map((t) => ({ topic: prefix + t, numPartitions: 6, replicationFactor: 1 })),
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const pg = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${stack.DB}` });
  await pg.connect();
  const ctx = { producer, prefix, pg, procs: [] };
  try {
    ctx.procs.push(stack.start('campaigns', prefix), stack.start('gateway', prefix));
    await stack.waitFor(stack.healthUrl('campaigns'));
    await stack.waitFor(`${stack.gatewayUrl}/health`, (res) => res.status > 0);
    ctx.tenant = await stack.createTenant(prefix);
    ctx.probe = (
      await stack.api(ctx.tenant.key, 'POST', '/api/v1/campaigns', {
        name: 'Latency probe',
        type: 'drip',
        fromEmail: 'bench@example.com',
      })
    ).id;
    ctx.campaignIds = Array.from({ length: CAMPAIGNS }, () => randomUUID());
    const ingest = await ingestion(ctx);
    await stack.waitFor(stack.healthUrl('analytics'));
    const lat = await latency(ctx);
    const queryLive = await crossCampaignQuery(ctx, true);
    const query = await crossCampaignQuery(ctx, false);
    const file = writeResult('analytics', {
      args: { EVENTS, CAMPAIGNS, DAYS, RATE, SECONDS, QUERIES, LIVE_RATE },
      ingestion: ingest,
      latency: lat,
      crossCampaign: query,
      crossCampaignLive: queryLive,
    });
    log('written', { file });
    console.log(
      [
        `ingestion: ${ingest.eventsPerSecond} events/s (target >= 50000), raw kafkajs consumer ${ingest.rawConsumer.eventsPerSecond} events/s, ratio ${ingest.ratioToRaw}; rollups exact: ${ingest.rollupsExact}`,
        `latency at ${lat.achievedRate}/s (target rate ${lat.targetRate}): p50 ${lat.p50Ms} ms, p99 ${lat.p99Ms} ms (target <= 1000), max ${lat.maxMs} ms`,
        `cross-campaign query, ${query.campaigns} campaigns x ${DAYS} days: p50 ${query.p50Ms} ms, p99 ${query.p99Ms} ms (target <= 100); while ${LIVE_RATE} events/s stream in: p50 ${queryLive.p50Ms} ms, p99 ${queryLive.p99Ms} ms`,
      ].join('\n'),
    );
  } finally {
    // The apps must be gone before the topics go: a live consumer's metadata requests would
    // re-create them (the broker auto-creates topics).
    await Promise.all(
      ctx.procs.map(
        (p) =>
          new Promise((resolve) => {
            if (p.exitCode !== null) return resolve();
            p.once('exit', resolve);
            p.kill('SIGTERM');
            setTimeout(() => p.kill('SIGKILL'), 15000).unref();
          }),
      ),
    );
    await producer.disconnect();
    await admin
      .deleteTopics({ topics: TOPICS.map((t) => prefix + t) })
      .catch((err) => log('bench topics not deleted', { prefix, error: err.message }));
    await admin.disconnect();
    await pg.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
