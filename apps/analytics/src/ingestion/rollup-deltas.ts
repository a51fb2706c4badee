import { EventRow } from './event-row';
import { COUNTERS } from './rollup-counters';

/*
 * A batch's rollup deltas, aggregated in memory: one entry per rollup row the batch touches,
 * so the ingestion statement upserts each row once with its summed counters instead of
 * grouping thousands of events in SQL. Only events Postgres reported as newly inserted are
 * added (ingest-batch.sql.ts), which is what keeps replays and redeliveries from counting twice.
 */

export interface RollupTable {
  table: string;
  /** Key columns (the table's primary key, in order) and their Postgres types. */
  keys: [column: string, type: 'uuid' | 'text' | 'timestamptz' | 'date' | 'int'][];
  /** rollup_hourly (the first table) remembers each step's position in the sequence. */
  stepPosition?: boolean;
  key(r: EventRow, at: { hour: string; day: string }, shard: number): (string | number)[] | null;
}

const dim = (v: string | null) => v ?? '';

export const ROLLUP_TABLES: RollupTable[] = [
  {
    table: 'rollup_hourly',
    keys: [
      ['tenant_id', 'uuid'],
      ['workspace_id', 'uuid'],
      ['campaign_id', 'uuid'],
      ['bucket', 'timestamptz'],
      ['step_id', 'text'],
      ['variant_id', 'text'],
      ['segment_id', 'text'],
      ['source', 'text'],
    ],
    stepPosition: true,
    key: (r, at) => [
      r.tenantId,
      r.workspaceId,
      r.campaignId!,
      at.hour,
      dim(r.stepId),
      dim(r.variantId),
      dim(r.segmentId),
      dim(r.source),
    ],
  },
  {
    table: 'campaign_daily',
    keys: [
      ['tenant_id', 'uuid'],
      ['workspace_id', 'uuid'],
      ['day', 'date'],
      ['campaign_id', 'uuid'],
    ],
    key: (r, at) => [r.tenantId, r.workspaceId, at.day, r.campaignId!],
  },
  {
    table: 'variant_daily',
    keys: [
      ['tenant_id', 'uuid'],
      ['workspace_id', 'uuid'],
      ['day', 'date'],
      ['campaign_id', 'uuid'],
      ['step_id', 'text'],
      ['variant_id', 'text'],
    ],
    key: (r, at) =>
      r.variantId === null
        ? null
        : [r.tenantId, r.workspaceId, at.day, r.campaignId!, dim(r.stepId), r.variantId],
  },
  // Shared by a workspace's campaigns, hence by partitions: each partition writes its own shard.
  {
    table: 'workspace_hourly',
    keys: [
      ['tenant_id', 'uuid'],
      ['workspace_id', 'uuid'],
      ['bucket', 'timestamptz'],
      ['segment_id', 'text'],
      ['shard', 'int'],
    ],
    key: (r, at, shard) => [r.tenantId, r.workspaceId, at.hour, dim(r.segmentId), shard],
  },
];

/** Counter indexes each event type increments: always, and only on a first touch. */
const BY_TYPE = new Map<string, { always: number[]; firstTouch: number[]; value: number[] }>();
COUNTERS.forEach((c, i) => {
  const entry = BY_TYPE.get(c.type) ?? { always: [], firstTouch: [], value: [] };
  if ('value' in c) entry.value.push(i);
  else if ('firstTouch' in c) entry.firstTouch.push(i);
  else entry.always.push(i);
  BY_TYPE.set(c.type, entry);
});

/** Event types that may be counted (test-mode events and events without a campaign never are). */
export const countable = (r: EventRow) =>
  !r.testMode && r.campaignId !== null && BY_TYPE.has(r.type);

export interface RollupRows {
  table: RollupTable;
  /** One array per key column, in `table.keys` order. */
  keys: (string | number)[][];
  stepPositions: (number | null)[];
  /** One array per counter, in COUNTERS order; revenue in ten-thousandths (exact integers). */
  counters: number[][];
}

interface Entry {
  key: (string | number)[];
  stepPosition: number | null;
  counters: number[];
}

export class RollupDeltas {
  private readonly tables = ROLLUP_TABLES.map(() => new Map<string, Entry>());
  size = 0;

  constructor(private readonly shard: number) {}

  /** Counts one newly inserted event; `firstTouch` says whether it is its delivery's first open/click. */
  add(r: EventRow, firstTouch: boolean): void {
    const counters = BY_TYPE.get(r.type);
    if (!counters || r.testMode || r.campaignId === null) return;
    this.size++;
    const at = { hour: `${r.occurredAt.slice(0, 13)}:00:00Z`, day: r.occurredAt.slice(0, 10) };
    // The shared prefix of every key, built once per event.
    const scope = `${r.tenantId}${r.workspaceId}${r.campaignId}`;
    const ids = [
      `${scope}${at.hour}\u0000${r.stepId ?? ''}\u0000${r.variantId ?? ''}\u0000${r.segmentId ?? ''}\u0000${r.source ?? ''}`,
      `${scope}${at.day}`,
      r.variantId === null ? null : `${scope}${at.day}${r.stepId ?? ''}\u0000${r.variantId}`,
      `${r.tenantId}${r.workspaceId}${at.hour}${r.segmentId ?? ''}`,
    ];
    for (let i = 0; i < ROLLUP_TABLES.length; i++) {
      const id = ids[i];
      if (id === null) continue;
      let e = this.tables[i].get(id);
      if (!e) {
        const key = ROLLUP_TABLES[i].key(r, at, this.shard)!;
        e = { key, stepPosition: null, counters: new Array<number>(COUNTERS.length).fill(0) };
        this.tables[i].set(id, e);
      }
      for (const c of counters.always) e.counters[c]++;
      if (firstTouch) for (const c of counters.firstTouch) e.counters[c]++;
      for (const c of counters.value) e.counters[c] += toTenThousandths(r.value ?? 0);
      if (i === 0 && r.stepPosition !== null)
        e.stepPosition = Math.max(e.stepPosition ?? r.stepPosition, r.stepPosition);
    }
  }

  /**
   * Column arrays per table, rows sorted by key: every consumer locks shared rollup rows in the
   * same order, so concurrent partitions cannot deadlock on them.
   */
  rows(): RollupRows[] {
    return ROLLUP_TABLES.map((table, i) => {
      const entries = [...this.tables[i]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return {
        table,
        keys: table.keys.map((_, k) => entries.map(([, e]) => e.key[k])),
        stepPositions: entries.map(([, e]) => e.stepPosition),
        counters: COUNTERS.map((_, c) => entries.map(([, e]) => e.counters[c])),
      };
    });
  }
}

/** A money value (already rounded to 4 decimals by parseEvent) as an exact integer. */
export const toTenThousandths = (v: number) => Math.round(v * 10000);

/** Exact decimal text of an amount in ten-thousandths, for a numeric column. */
export function fromTenThousandths(n: number): string {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const units = Math.floor(abs / 10000);
  return `${sign}${units}.${String(abs - units * 10000).padStart(4, '0')}`;
}
