import { DataSource } from 'typeorm';
import { EventRow } from './event-row';
import { projectionCtes, projectionParams } from './projections.sql';
import { COUNTERS } from './rollup-counters';

/*
 * The ingestion hot path, written as SQL in one place because it must be exact and fast.
 *
 * One statement, so one round trip and one (implicit) transaction, per batch: the batch arrives
 * as column arrays (unnest: a fixed number of bind parameters whatever the batch size); raw
 * events are inserted with ON CONFLICT (event_id) DO NOTHING, and only the rows that
 * INSERT ... RETURNING reports as new feed the rollups, so a redelivered or replayed event
 * changes nothing. Unique opens and clicks are decided by engagement_firsts. Each rollup is an
 * INSERT ... ON CONFLICT DO UPDATE SET x = x + excluded.x over the grouped deltas, sorted by
 * key so concurrent partitions lock shared rows (workspace_hourly) in the same order. The
 * projections and the partition's next offset are written by the same statement, so rows,
 * rollups and offset commit together or not at all.
 *
 * synchronous_commit is off for this transaction only: a commit lost to a Postgres crash loses
 * the offset with the rows, and that batch is simply consumed again from the stored offset.
 */

interface RollupTarget {
  table: string;
  keys: [column: string, expr: string][];
  where?: string;
}

const HOUR = "date_trunc('hour', occurred_at, 'UTC')";
const DAY = "(occurred_at AT TIME ZONE 'UTC')::date";
const dims = {
  step: ['step_id', "coalesce(step_id, '')"] as [string, string],
  variant: ['variant_id', "coalesce(variant_id, '')"] as [string, string],
  segment: ['segment_id', "coalesce(segment_id, '')"] as [string, string],
  source: ['source', "coalesce(source, '')"] as [string, string],
};
const scope: [string, string][] = [
  ['tenant_id', 'tenant_id'],
  ['workspace_id', 'workspace_id'],
];

const TARGETS: RollupTarget[] = [
  {
    table: 'rollup_hourly',
    keys: [
      ...scope,
      ['campaign_id', 'campaign_id'],
      ['bucket', HOUR],
      dims.step,
      dims.variant,
      dims.segment,
      dims.source,
    ],
  },
  { table: 'campaign_daily', keys: [...scope, ['day', DAY], ['campaign_id', 'campaign_id']] },
  {
    table: 'variant_daily',
    keys: [...scope, ['day', DAY], ['campaign_id', 'campaign_id'], dims.step, dims.variant],
    where: 'variant_id IS NOT NULL',
  },
  // Shared by a workspace's campaigns, hence by partitions: each writes its own shard ($36).
  {
    table: 'workspace_hourly',
    keys: [...scope, ['bucket', HOUR], dims.segment, ['shard', '$36::int']],
  },
];

function rollupCte(t: RollupTarget, i: number): string {
  const keyCols = t.keys.map(([c]) => c);
  const positional = t.keys.map((_, k) => k + 1).join(', ');
  const extra = t.table === 'rollup_hourly';
  const cols = [...keyCols, ...(extra ? ['step_position'] : []), ...COUNTERS.map((c) => c.column)];
  const select = [
    ...t.keys.map(([, e]) => e),
    ...(extra ? ['max(step_position)'] : []),
    ...COUNTERS.map((c) => c.agg),
  ];
  const updates = [
    ...(extra ? ['step_position = coalesce(excluded.step_position, r.step_position)'] : []),
    ...COUNTERS.map((c) => `${c.column} = r.${c.column} + excluded.${c.column}`),
  ];
  return `r${i} AS (
    INSERT INTO analytics.${t.table} AS r (${cols.join(', ')})
    SELECT ${select.join(', ')} FROM counted ${t.where ? `WHERE ${t.where}` : ''}
    GROUP BY ${positional} ORDER BY ${positional}
    ON CONFLICT (${keyCols.join(', ')}) DO UPDATE SET ${updates.join(', ')}
    RETURNING 1
  )`;
}

const COLUMNS = `event_id, occurred_at, type, tenant_id, workspace_id, campaign_id, lead_id,
  test_mode, delivery_id, step_id, step_position, variant_id, segment_id, source, channel,
  value, currency`;

export const INGEST_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::uuid[],
    $6::uuid[], $7::uuid[], $8::bool[], $9::text[], $10::text[], $11::int[], $12::text[],
    $13::text[], $14::text[], $15::text[], $16::numeric[], $17::text[]) AS t(${COLUMNS})
),
ins AS (
  INSERT INTO analytics.events (${COLUMNS}) SELECT ${COLUMNS} FROM input
  ON CONFLICT (event_id) DO NOTHING
  RETURNING ${COLUMNS}
),
live AS (
  SELECT ins.*, row_number() OVER (PARTITION BY delivery_id, type ORDER BY occurred_at, event_id) AS rn
  FROM ins
  WHERE NOT test_mode AND campaign_id IS NOT NULL
    AND (type LIKE 'message.%' OR type LIKE 'engagement.%')
),
firsts AS (
  INSERT INTO analytics.engagement_firsts (delivery_id, kind)
  SELECT delivery_id, type FROM live
  WHERE rn = 1 AND delivery_id IS NOT NULL AND type IN ('engagement.opened', 'engagement.clicked')
  ORDER BY 1, 2
  ON CONFLICT DO NOTHING
  RETURNING delivery_id, kind
),
counted AS (
  SELECT live.*, (live.delivery_id IS NULL OR f.delivery_id IS NOT NULL) AS first_touch
  FROM live LEFT JOIN firsts f
    ON f.delivery_id = live.delivery_id AND f.kind = live.type AND live.rn = 1
),
${TARGETS.map(rollupCte).join(',\n')},
${projectionCtes(22)},
off AS (
  INSERT INTO analytics.consumer_offsets AS o (group_id, topic, partition, next_offset)
  VALUES ($18, $19, $20, $21)
  ON CONFLICT (group_id, topic, partition)
  DO UPDATE SET next_offset = GREATEST(o.next_offset, excluded.next_offset), updated_at = now()
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM counted)::int AS counted,
  set_config('synchronous_commit', 'off', true) AS commit_mode`;

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

export async function ingestBatch(
  ds: DataSource,
  rows: EventRow[],
  at: Position,
): Promise<IngestResult> {
  const col = <K extends keyof EventRow>(k: K) => rows.map((r) => r[k]);
  const [result] = await ds.query(INGEST_SQL, [
    col('eventId'),
    col('occurredAt'),
    col('type'),
    col('tenantId'),
    col('workspaceId'),
    col('campaignId'),
    col('leadId'),
    col('testMode'),
    col('deliveryId'),
    col('stepId'),
    col('stepPosition'),
    col('variantId'),
    col('segmentId'),
    col('source'),
    col('channel'),
    col('value'),
    col('currency'),
    at.groupId,
    at.topic,
    at.partition,
    at.next.toString(),
    ...projectionParams(rows),
    at.shard,
  ]);
  return result as IngestResult;
}
