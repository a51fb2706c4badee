#!/usr/bin/env node
'use strict';
/**
 * Gateway overhead: the same work through the gateway (HTTP, auth, validation, envelope,
 * TCP hop) and against the campaigns service reached directly over TCP, in one run.
 *   - GET /api/v1/campaigns?limit=20 over a workspace holding 10,000 campaigns
 *   - POST /api/v1/campaigns
 * Needs a running system (`npm start`). Usage: node bench/gateway/run.js [--seconds 10] [--connections 50]
 */
const { execFileSync } = require('child_process');
const path = require('path');
const autocannon = require('autocannon');
const { ClientProxyFactory, Transport } = require('@nestjs/microservices');
const { firstValueFrom } = require('rxjs');
const { closedLoop, writeResult } = require('../lib/measure');

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce(
      (acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc),
      [],
    ),
);
const SECONDS = Number(args.seconds ?? 10);
const CONNECTIONS = Number(args.connections ?? 50);
const BASE = process.env.BENCH_URL ?? 'http://127.0.0.1:3000';
const RPC = {
  host: process.env.CAMPAIGNS_HOST ?? '127.0.0.1',
  port: Number(process.env.CAMPAIGNS_PORT ?? 4001),
};
const CAMPAIGNS = Number(args.campaigns ?? 10000);
const root = path.resolve(__dirname, '../..');

const createBody = {
  name: 'Bench campaign',
  type: 'broadcast',
  fromEmail: 'bench@example.com',
  settings: { dailyLimit: 1000 },
};

function cannon(opts) {
  return new Promise((resolve, reject) =>
    autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts }, (err, r) =>
      err ? reject(err) : resolve(r),
    ),
  ).then((r) => ({
    requests: r.requests.total,
    errors: r.errors + r.non2xx,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
  }));
}

async function main() {
  const tenant = `bench-${Date.now().toString(36)}`;
  const key = execFileSync(
    process.execPath,
    [
      path.join(root, 'dist/apps/campaigns/src/cli/admin-cli.js'),
      'api-key',
      'create',
      '--tenant',
      tenant,
      '--workspace',
      'main',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  )
    .toString()
    .trim()
    .split('\n')
    .pop();
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

  const client = ClientProxyFactory.create({ transport: Transport.TCP, options: RPC });
  const rpc = (pattern, data, ctx) => firstValueFrom(client.send(pattern, { ctx, data }));
  const resolved = await rpc('accounts.keys.resolve', { key }, { requestId: 'bench' });
  const ctx = {
    requestId: 'bench',
    tenantId: resolved.tenantId,
    workspaceId: resolved.workspaceId,
  };

  process.stderr.write(`seeding ${CAMPAIGNS} campaigns...\n`);
  let seeded = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (seeded < CAMPAIGNS) {
        seeded++;
        await rpc('campaigns.create', { ...createBody, name: `Seed ${seeded}` }, ctx);
      }
    }),
  );

  // Steady state: autovacuum has analysed the table by the time a workspace holds 10,000
  // campaigns; right after a bulk seed it has not, and the planner would guess 1 row.
  execFileSync(
    'psql',
    [
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      '-d',
      process.env.BENCH_DB ?? 'campaign',
      '-qc',
      'ANALYZE campaigns.campaigns',
    ],
    { stdio: 'ignore' },
  );
  process.stderr.write(`measuring ${SECONDS}s per case, ${CONNECTIONS} connections...\n`);
  const results = {
    listViaGateway: await cannon({ url: `${BASE}/api/v1/campaigns?limit=20`, headers }),
    listDirect: await closedLoop(() => rpc('campaigns.list', { limit: 20 }, ctx), {
      concurrency: CONNECTIONS,
      seconds: SECONDS,
    }),
    createViaGateway: await cannon({
      url: `${BASE}/api/v1/campaigns`,
      method: 'POST',
      headers,
      body: JSON.stringify(createBody),
    }),
    createDirect: await closedLoop(() => rpc('campaigns.create', createBody, ctx), {
      concurrency: CONNECTIONS,
      seconds: SECONDS,
    }),
  };
  client.close();

  const ratio = (a, b) => +(results[a].rps / results[b].rps).toFixed(2);
  const summary = {
    listGatewayToDirect: ratio('listViaGateway', 'listDirect'),
    createGatewayToDirect: ratio('createViaGateway', 'createDirect'),
  };
  console.log('\ncase               rps    p50 ms   p99 ms  errors');
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `${name.padEnd(17)} ${String(r.rps).padStart(6)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.errors).padStart(7)}`,
    );
  }
  console.log(
    `\ngateway/direct throughput: list ${summary.listGatewayToDirect}, create ${summary.createGatewayToDirect} (aim >= 0.6); p99 aim <= 50 ms`,
  );
  const file = writeResult('gateway', {
    seconds: SECONDS,
    connections: CONNECTIONS,
    campaigns: CAMPAIGNS,
    results,
    summary,
  });
  console.log(`written ${path.relative(root, file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
