#!/usr/bin/env node
'use strict';
// bench/import/parse-stage.js: the leads service's per-row import work without Postgres —
// csv-parse with the runner's options, line counting, parseRow, the stream choice and the
// COPY text (StageBuffer) — over a CSV file, timed in CPU seconds. Needs dist/ (node
// scripts/build.js). Usage: node bench/import/parse-stage.js <file.csv>
// (bench/import/run.js deletes its generated file; keep one with e.g. a copy of its generator.)
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('csv-parse');

const DIST = path.resolve(__dirname, '../../dist/apps/leads/src/imports');
const { CSV_PARSE_OPTIONS, CsvLineCounter, isBlank } = require(`${DIST}/csv-lines`);
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
  const parser = fs.createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(
    // The runner's own options.
    parse(CSV_PARSE_OPTIONS),
  );
  const lines = new CsvLineCounter();
  const stages = Array.from({ length: PARTS }, () => new StageBuffer(WS));
  let targets;
  let rows = 0;
  let rejected = 0;
  let bytes = 0;
  for await (const record of parser) {
    const line = lines.startLine(record);
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
    stages[part].add(parsed.row);
    if (stages[part].rows >= BATCH) {
      for (const chunk of stages[part].finish()) bytes += chunk.length;
      stages[part] = new StageBuffer(WS);
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
