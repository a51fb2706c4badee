#!/usr/bin/env node
'use strict';
// bench/segments: seeds ROWS leads (default 1,000,000) into a fresh bench stack, creates the
// seeds' audiences as segments through the API and times GET /segments/:id/count (end to end
// through the gateway, and the leads service's own tookMs). Target: under 1 s. Then the leads
// service's side of enrolling the whole workspace: LeadsRpc.resolveAudience over TCP as the
// executor calls it, 10,000-lead pages, contact objects against the copy format (bench/enroll
// serves its audience from a stand-in instead). Then GET /leads?search= (word prefixes in
// name, email, company) with the text-search index; the counts and the searches again once the
// GIN pending lists are merged, as an import leaves them; and, as the searches' baseline in the
// same run, after dropping the word index.
// Usage: node bench/segments/run.js [rows]
const { ClientProxyFactory, Transport } = require('@nestjs/microservices');
const { randomUUID } = require('node:crypto');
const { firstValueFrom } = require('rxjs');
const {
  DB,
  GATEWAY,
  PORTS,
  startStack,
  createWorkspace,
  seedLeads,
  mergePendingLists,
  psql,
  cpuMeter,
  call: api,
} = require('../import/stack');

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RUNS = 5;
const leaf = (field, operator, value) => ({ field, operator, value });
const SEGMENTS = {
  'B2B seed: size 50-500, industry in [technology, finance], engagement > 75': {
    combinator: 'and',
    rules: [
      leaf('companySize', 'between', [50, 500]),
      leaf('industry', 'in', ['technology', 'finance']),
      leaf('engagementScore', 'gt', 75),
    ],
  },
  'B2C seed: location in [US, CA], age 25-45, interests contain technology': {
    combinator: 'and',
    rules: [
      leaf('country', 'in', ['US', 'CA']),
      leaf('customFields.age', 'between', [25, 45]),
      leaf('customFields.interests', 'contains', 'technology'),
    ],
  },
  'OR of both': {
    combinator: 'or',
    rules: [leaf('engagementScore', 'gt', 95), leaf('customFields.interests', 'in', ['golf'])],
  },
};

// A rare email, a full name, a company shared by 200 leads, a miss.
const SEARCHES = ['lead777777@', 'first4242 last4242', 'company 4242', 'nobody-here'];

/** GET /segments/:id/count RUNS times per segment: end-to-end ms and the service's tookMs. */
async function timeCounts(key, segments, when) {
  for (const { name, id } of segments) {
    const times = [];
    let count;
    for (let i = 0; i < RUNS; i++) {
      const t0 = Date.now();
      const result = await api(key, 'GET', `/api/v1/segments/${id}/count`);
      times.push({ total: Date.now() - t0, server: result.tookMs });
      count = result.count;
    }
    const totals = times.map((t) => t.total).sort((a, b) => a - b);
    console.log(
      `${name} (${when}): ${count} leads; count ms (end to end) min ${totals[0]}, median ${totals[RUNS >> 1]}, max ${totals[RUNS - 1]}; server ${times.map((t) => t.server).join('/')}`,
    );
  }
}

/** Median end-to-end ms of GET /leads?search= per term (the list also counts its total). */
async function timeSearches(key) {
  const out = {};
  for (const term of SEARCHES) {
    const times = [];
    let total;
    for (let i = 0; i < RUNS; i++) {
      const t0 = Date.now();
      const res = await fetch(
        `${GATEWAY}/api/v1/leads?limit=20&search=${encodeURIComponent(term)}`,
        {
          headers: { authorization: `Bearer ${key}` },
        },
      );
      const json = await res.json();
      if (!res.ok) throw new Error(`search ${term}: ${res.status} ${JSON.stringify(json)}`);
      times.push(Date.now() - t0);
      total = json.pagination.total;
    }
    out[term] = { median: times.sort((a, b) => a - b)[RUNS >> 1], total };
  }
  return out;
}

/**
 * Pages the whole workspace through LeadsRpc.resolveAudience in `format`; wall time, leads
 * service and Postgres CPU, reply bytes.
 */
async function pageAudience(ws, leadsPid, format) {
  const client = ClientProxyFactory.create({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: PORTS.leads },
  });
  const ctx = { requestId: randomUUID(), tenantId: ws.tenantId, workspaceId: ws.workspaceId };
  const cpu = cpuMeter(leadsPid);
  const t0 = Date.now();
  let contacts = 0;
  let bytes = 0;
  let afterId;
  try {
    do {
      const data = { segmentIds: [], limit: 10000, format, ...(afterId ? { afterId } : {}) };
      const page = await firstValueFrom(client.send('leads.audience.resolve', { ctx, data }));
      contacts += format === 'copy' ? page.copy.rows : page.contacts.length;
      bytes += JSON.stringify(page).length;
      afterId = page.nextAfterId;
    } while (afterId);
  } finally {
    client.close();
  }
  const seconds = (Date.now() - t0) / 1000;
  const used = cpu.stop();
  return { contacts, seconds, leadsCpu: used.app, postgresCpu: used.postgres, mb: bytes / 1e6 };
}

async function main() {
  const stack = await startStack();
  try {
    const ws = await createWorkspace();
    const s0 = Date.now();
    await seedLeads(ws, ROWS, { merge: false });
    console.log(`seeded ${ROWS} leads in ${((Date.now() - s0) / 1000).toFixed(1)} s`);
    const segments = [];
    for (const [name, rules] of Object.entries(SEGMENTS)) {
      const seg = await api(ws.key, 'POST', '/api/v1/segments', { name, rules });
      segments.push({ name, id: seg.id });
    }
    await timeCounts(ws.key, segments, 'right after seeding');
    for (const format of ['contacts', 'copy', 'contacts', 'copy']) {
      const r = await pageAudience(ws, stack.procs.leads.pid, format);
      console.log(
        `audience for enrollment (${format}): ${r.contacts} contacts in ${r.seconds.toFixed(2)} s; ` +
          `CPU leads ${r.leadsCpu.toFixed(2)} s, Postgres ${r.postgresCpu.toFixed(2)} s; replies ${r.mb.toFixed(0)} MB of JSON`,
      );
    }
    // Right after seeding the new rows are still in the GIN indexes' pending lists (name words,
    // custom fields), which every search and custom-field rule scans whole; an import merges
    // them when it is done (docs/leads.md, CSV import), so both are timed again after that.
    const seeded = await timeSearches(ws.key);
    const m0 = Date.now();
    mergePendingLists();
    console.log(`GIN pending lists merged in ${((Date.now() - m0) / 1000).toFixed(1)} s`);
    // psql ran synchronously: let fetch notice the keep-alive sockets the gateway closed meanwhile.
    await new Promise((r) => setTimeout(r, 500));
    await timeCounts(ws.key, segments, 'pending lists merged, as an import leaves them');
    const indexed = await timeSearches(ws.key);
    // Without the word index the OR of words and address prefix cannot be a BitmapOr: the
    // workspace is scanned (the address prefix's index is the unique address index, kept).
    psql('DROP INDEX leads.leads_search_names', DB);
    const scanned = await timeSearches(ws.key);
    for (const term of SEARCHES) {
      const a = indexed[term];
      const b = scanned[term];
      if (a.total !== b.total)
        throw new Error(`search "${term}": ${a.total} vs ${b.total} matches`);
      console.log(
        `search "${term}": ${a.total} leads; median ms with the search index ${a.median} ` +
          `(${seeded[term].median} before its pending list was merged), without (baseline) ${b.median}; ${(b.median / a.median).toFixed(1)}x`,
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
