#!/usr/bin/env node
'use strict';
// bench/import/parse-stage.js: the leads service's per-row import work without Postgres —
// the runner's CSV reader (CsvReader), parseRow, the stream choice and the
// COPY text (StageBuffer) — over a CSV file, timed in CPU seconds. Needs dist/ (node
// scripts/build.js). Usage: node bench/import/parse-stage.js <file.csv>
// (bench/import/run.js deletes its generated file; keep one with e.g. a copy of its generator.)
const fs = require('node:fs');
const path = require('node:path');

const DIST = path.resolve(__dirname, '../../dist/apps/leads/src/imports');
const { isBlank, readCsvFile } = require(`${DIST}/csv-reader`);
const { parseRow } = require(`${DIST}/import-row`);
const { partOfEmail } = require(`${DIST}/import-parts`);
const { StageBuffer } = require(`${DIST}/import-stage`);
const { resolveMapping } = require(`${DIST}/header-mapping`);

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/import/parse-stage.js <file.csv>');
  process.exit(2);
}
const WS = '2a3ebff2-5624-4adc-9fc2-e8a1277dd1a2';
const BATCH = 20_000;
const PARTS = 2;

async function main() {
  const t0 = process.cpuUsage();
  const job = {
    id: '0b6d8f7e-3a5c-4f0e-9a51-6c1f3e2d4b7a',
    tenant_id: '5c3e1a2b-7d4f-4e6a-8b9c-0d1e2f3a4b5c',
    workspace_id: WS,
    campaign_id: null,
    source: 'import',
  };
  const stages = Array.from({ length: PARTS }, () => new StageBuffer(job));
  let targets;
  let rows = 0;
  let rejected = 0;
  let bytes = 0;
  // The runner's own reader and chunk size.
  for await (const records of readCsvFile(file, 64 * 1024)) {
    for (const { line, cells: record, raw } of records) {
      if (!record) {
        rejected++;
        continue;
      }
      if (isBlank(record)) continue;
      if (!targets) {
        targets = resolveMapping(record);
        continue;
      }
      rows++;
      const parsed = parseRow(record, targets, line);
      if (!parsed.ok) {
        rejected++;
        continue;
      }
      const part = partOfEmail(parsed.row.normalized, PARTS);
      stages[part].add(parsed.row, raw);
      if (stages[part].rows >= BATCH) {
        for (const chunk of stages[part].finish()) bytes += chunk.length;
        stages[part] = new StageBuffer(job);
      }
    }
  }
  const used = process.cpuUsage(t0);
  const cpu = (used.user + used.system) / 1e6;
  console.log(
    `${rows} rows (${rejected} rejected): CPU ${cpu.toFixed(2)} s = ${((cpu / rows) * 1e6).toFixed(2)} µs/row; ` +
      `COPY text ${(bytes / 1e6).toFixed(0)} MB (full batches)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
