import { pgBinary as binary, PreparedStatement } from '@app/database';
import { DataSource, EntityManager } from 'typeorm';
import { EventRow } from './event-row';
import { projectionCtes, projectionParams } from './projections.sql';
import { COUNTER_COLUMNS, FIRST_TOUCH_TYPES, REVENUE_INDEX } from './rollup-counters';
import {
  fromTenThousandths,
  RollupDeltas,
  RollupRows,
  RollupTable,
  ROLLUP_TABLES,
} from './rollup-deltas';

/*
 * The ingestion hot path, written as SQL in one place because it must be exact and fast.
 *
 * One transaction per batch, two statements, each taking its rows as column arrays (unnest: a
 * fixed number of bind parameters whatever the batch size), sent in Postgres' binary format
 * (libs/database pg-binary.ts; amounts and the small projection arrays excepted) so the backend need not
 * parse them:
 *   1. raw events are inserted with ON CONFLICT (event_id) DO NOTHING, and the first open/click/reply
 *      of each delivery in the batch is offered to engagement_firsts; the statement answers
 *      which events were new and which first touches were accepted (each only when some were not),
 *      with no join, so the plan stays linear whatever the planner guesses for the arrays;
 *   2. the consumer counts only the events that were new (rollup-deltas.ts: aggregated in
 *      memory, one row per rollup key) and upserts each rollup row once with
 *      `x = x + excluded.x`, in key order so concurrent partitions lock shared rows in the same
 *      order; the projections and the partition's next offset are written by the same statement.
 * Rows, rollups and offset commit together or not at all, so a redelivered or replayed event
 * changes nothing. synchronous_commit is off for this transaction only: a commit lost to a
 * Postgres crash loses the offset with the rows, and that batch is simply consumed again.
 */

const COLUMNS = `event_id, occurred_at, type, tenant_id, workspace_id, campaign_id, lead_id,
  test_mode, delivery_id, step_id, step_position, variant_id, segment_id, source, channel,
  value, currency`;

export const INSERT_EVENTS_SQL = `
WITH ins AS (
  INSERT INTO analytics.events (${COLUMNS})
  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::uuid[],
    $6::uuid[], $7::uuid[], $8::bool[], $9::text[], $10::text[], $11::int[], $12::text[],
    $13::text[], $14::text[], $15::text[], $16::numeric[], $17::text[])
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id
),
firsts AS (
  INSERT INTO analytics.engagement_firsts (delivery_id, kind)
  SELECT * FROM unnest($18::text[], $19::text[]) ORDER BY 1, 2
  ON CONFLICT DO NOTHING
  RETURNING delivery_id, kind
)
SELECT i.inserted, i.ids, f.deliveries, f.kinds,
  set_config('synchronous_commit', 'off', true) AS commit_mode
FROM (SELECT count(*)::int AS inserted,
        CASE WHEN count(*) < $20 THEN coalesce(array_agg(event_id), '{}') END AS ids FROM ins) i,
     (SELECT CASE WHEN count(*) < $21 THEN coalesce(array_agg(delivery_id), '{}') END AS deliveries,
        CASE WHEN count(*) < $21 THEN coalesce(array_agg(kind), '{}') END AS kinds FROM firsts) f`;

/** The upsert of one rollup table from parameters $p.. ; returns the CTE and the next $p. */
function rollupCte(t: (typeof ROLLUP_TABLES)[number], i: number, p: number): [string, number] {
  const keyCols = t.keys.map(([c]) => c);
  const cols = [...keyCols, ...(t.stepPosition ? ['step_position'] : []), ...COUNTER_COLUMNS];
  const types = [
    ...t.keys.map(([, type]) => type),
    ...(t.stepPosition ? ['int'] : []),
    ...COUNTER_COLUMNS.map((_, c) => (c === REVENUE_INDEX ? 'numeric' : 'bigint')),
  ];
  const args = types.map((type, k) => `$${p + k}::${type}[]`).join(', ');
  const updates = [
    ...(t.stepPosition
      ? ['step_position = coalesce(excluded.step_position, r.step_position)']
      : []),
    ...COUNTER_COLUMNS.map((c) => `${c} = r.${c} + excluded.${c}`),
  ];
  const cte = `r${i} AS (
    INSERT INTO analytics.${t.table} AS r (${cols.join(', ')})
    SELECT ${cols.join(', ')} FROM unnest(${args}) WITH ORDINALITY AS t(${cols.join(', ')}, n)
    ORDER BY n
    ON CONFLICT (${keyCols.join(', ')}) DO UPDATE SET ${updates.join(', ')}
    RETURNING 1
  )`;
  return [cte, p + types.length];
}

function buildRollupSql(): string {
  const ctes: string[] = [];
  let p = 1;
  ROLLUP_TABLES.forEach((t, i) => {
    const [cte, next] = rollupCte(t, i, p);
    ctes.push(cte);
    p = next;
  });
  ctes.push(projectionCtes(p));
  p += 14;
  ctes.push(`off AS (
    INSERT INTO analytics.consumer_offsets AS o (group_id, topic, partition, next_offset)
    VALUES ($${p}, $${p + 1}, $${p + 2}, $${p + 3})
    ON CONFLICT (group_id, topic, partition)
    DO UPDATE SET next_offset = GREATEST(o.next_offset, excluded.next_offset), updated_at = now()
    RETURNING 1
  )`);
  // Every workspace in the batch has changed (cached cross-campaign reports are stale).
  ctes.push(`wc AS (
    INSERT INTO analytics.workspace_changes AS w (tenant_id, workspace_id, shard)
    SELECT *, $${p + 6}::int FROM unnest($${p + 4}::uuid[], $${p + 5}::uuid[]) ORDER BY 1, 2
    ON CONFLICT (tenant_id, workspace_id, shard) DO UPDATE SET seq = w.seq + 1
    RETURNING 1
  )`);
  return `WITH ${ctes.join(',\n')}\nSELECT (SELECT count(*) FROM off)::int AS offsets`;
}

export const UPSERT_ROLLUPS_SQL = buildRollupSql();

export interface IngestResult {
  inserted: number;
  counted: number;
}

export interface Position {
  groupId: string;
  topic: string;
  partition: number;
  /** The offset to resume from once this batch is committed. */
  next: bigint;
  /** Distinct per topic and partition: the row set of shared rollups this batch may write. */
  shard: number;
}

/**
 * Per delivery and kind (open, click, reply), the batch's earliest countable touch: the one offered to
 * engagement_firsts. Returns the row index of each candidate.
 */
export function firstTouchCandidates(rows: EventRow[]): number[] {
  const best = new Map<string, number>();
  rows.forEach((r, i) => {
    if (
      r.testMode ||
      r.campaignId === null ||
      r.deliveryId === null ||
      !FIRST_TOUCH_TYPES.has(r.type)
    )
      return;
    const k = `${r.deliveryId}\u0000${r.type}`;
    const j = best.get(k);
    const earlier =
      j === undefined ||
      r.occurredAt < rows[j].occurredAt ||
      (r.occurredAt === rows[j].occurredAt && r.eventId < rows[j].eventId);
    if (earlier) best.set(k, i);
  });
  return [...best.values()];
}

/**
 * The raw events' columns as binary arrays (libs/database pg-binary.ts). The amounts stay a
 * plain array, which PreparedStatement writes as an array literal (arrayLiteral): numeric's
 * binary form is not worth writing for the few a batch carries.
 */
function eventParams(rows: EventRow[]): (Buffer | (number | null)[])[] {
  const col = <K extends keyof EventRow>(k: K) => rows.map((r) => r[k]);
  const text = (
    k:
      | 'type'
      | 'deliveryId'
      | 'stepId'
      | 'variantId'
      | 'segmentId'
      | 'source'
      | 'channel'
      | 'currency',
  ) => binary.textArray(col(k));
  const uuid = (k: 'eventId' | 'tenantId' | 'workspaceId' | 'campaignId' | 'leadId') =>
    binary.uuidArray(col(k));
  return [
    uuid('eventId'),
    binary.timestamptzArray(rows.map((r) => Date.parse(r.occurredAt))),
    text('type'),
    uuid('tenantId'),
    uuid('workspaceId'),
    uuid('campaignId'),
    uuid('leadId'),
    binary.boolArray(col('testMode')),
    text('deliveryId'),
    text('stepId'),
    binary.int4Array(col('stepPosition')),
    text('variantId'),
    text('segmentId'),
    text('source'),
    text('channel'),
    col('value'),
    text('currency'),
  ];
}

/** The batch's distinct (tenant, workspace) pairs, as two uuid arrays. */
function workspacesOf(rows: EventRow[]): Buffer[] {
  const seen = new Map<string, [string, string]>();
  for (const r of rows) seen.set(r.tenantId + r.workspaceId, [r.tenantId, r.workspaceId]);
  const pairs = [...seen.values()];
  return [binary.uuidArray(pairs.map(([t]) => t)), binary.uuidArray(pairs.map(([, w]) => w))];
}

function keyArray(type: RollupTable['keys'][number][1], values: (string | number)[]): Buffer {
  switch (type) {
    case 'uuid':
      return binary.uuidArray(values as string[]);
    case 'text':
      return binary.textArray(values as string[]);
    case 'timestamptz':
      return binary.timestamptzArray((values as string[]).map((v) => Date.parse(v)));
    case 'date':
      return binary.dateArray(values as string[]);
    case 'int':
      return binary.int4Array(values as number[]);
  }
}

/** Rollup rows as binary arrays too; revenue stays exact decimal text (an array literal). */
function rollupParams(tables: RollupRows[]): (Buffer | string[])[] {
  return tables.flatMap((t) => [
    ...t.table.keys.map(([, type], k) => keyArray(type, t.keys[k])),
    ...(t.table.stepPosition ? [binary.int4Array(t.stepPositions)] : []),
    ...t.counters.map((values, c) =>
      c === REVENUE_INDEX ? values.map(fromTenThousandths) : binary.int8Array(values),
    ),
  ]);
}

/**
 * Both statements are named prepared statements, run on the transaction's connection: parsed and
 * planned once per connection instead of once per batch (a few milliseconds each, which
 * dominated small batches). They join nothing, so Postgres' generic plan is as good as a custom
 * one.
 */
const INSERT_EVENTS = new PreparedStatement<InsertResult>(
  'analytics_insert_events',
  INSERT_EVENTS_SQL,
);
const UPSERT_ROLLUPS = new PreparedStatement<unknown>(
  'analytics_upsert_rollups',
  UPSERT_ROLLUPS_SQL,
);

interface InsertResult {
  inserted: number;
  /** The ids inserted, only when some were not (duplicates). */
  ids: string[] | null;
  /** The first touches engagement_firsts accepted, only when it refused some. */
  deliveries: string[] | null;
  kinds: string[] | null;
}

async function ingestIn(m: EntityManager, rows: EventRow[], at: Position): Promise<IngestResult> {
  const candidates = firstTouchCandidates(rows);
  const [result] = await INSERT_EVENTS.rows(m, [
    ...eventParams(rows),
    binary.textArray(candidates.map((i) => rows[i].deliveryId)),
    binary.textArray(candidates.map((i) => rows[i].type)),
    rows.length,
    candidates.length,
  ]);
  const inserted = result.ids ? new Set(result.ids) : null;
  const first = new Set(candidates);
  if (result.deliveries) {
    const accepted = new Set(result.deliveries.map((d, i) => `${d}\u0000${result.kinds![i]}`));
    for (const i of candidates)
      if (!accepted.has(`${rows[i].deliveryId}\u0000${rows[i].type}`)) first.delete(i);
  }
  const deltas = new RollupDeltas(at.shard);
  rows.forEach((r, i) => {
    if (!inserted || inserted.has(r.eventId)) deltas.add(r, r.deliveryId === null || first.has(i));
  });
  await UPSERT_ROLLUPS.run(m, [
    ...rollupParams(deltas.rows()),
    ...projectionParams(rows),
    at.groupId,
    at.topic,
    at.partition,
    at.next.toString(),
    ...workspacesOf(rows),
    at.shard,
  ]);
  return { inserted: result.inserted, counted: deltas.size };
}

export function ingestBatch(ds: DataSource, rows: EventRow[], at: Position): Promise<IngestResult> {
  return ds.transaction((m) => ingestIn(m, rows, at));
}
