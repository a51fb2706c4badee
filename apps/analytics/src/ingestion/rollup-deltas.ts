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
  /**
   * Writes the event's key into `out` (one slot per key column, reused from event to event so
   * a lookup allocates nothing); false when the event has no row in this table.
   */
  key(r: EventRow, at: Bucket, shard: number, out: (string | number)[]): boolean;
}

/** The event's UTC hour and day, as the rollups' bucket columns take them. */
interface Bucket {
  hour: string;
  day: string;
}

/** Every table's key starts with the tenant and the workspace. */
function scope(out: (string | number)[], r: EventRow): void {
  out[0] = r.tenantId;
  out[1] = r.workspaceId;
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
    key: (r, at, _, out) => {
      scope(out, r);
      out[2] = r.campaignId!;
      out[3] = at.hour;
      out[4] = dim(r.stepId);
      out[5] = dim(r.variantId);
      out[6] = dim(r.segmentId);
      out[7] = dim(r.source);
      return true;
    },
  },
  {
    table: 'campaign_daily',
    keys: [
      ['tenant_id', 'uuid'],
      ['workspace_id', 'uuid'],
      ['day', 'date'],
      ['campaign_id', 'uuid'],
    ],
    key: (r, at, _, out) => {
      scope(out, r);
      out[2] = at.day;
      out[3] = r.campaignId!;
      return true;
    },
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
    key: (r, at, _, out) => {
      if (r.variantId === null) return false;
      scope(out, r);
      out[2] = at.day;
      out[3] = r.campaignId!;
      out[4] = dim(r.stepId);
      out[5] = r.variantId;
      return true;
    },
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
    key: (r, at, shard, out) => {
      scope(out, r);
      out[2] = at.hour;
      out[3] = dim(r.segmentId);
      out[4] = shard;
      return true;
    },
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

/**
 * Nested maps, one level per key column: looking a row up allocates nothing once it exists
 * (a composite key string per event and table was most of the consumer's garbage).
 */
type Level = Map<string | number, unknown>;

const compareKeys = (a: Entry, b: Entry): number => {
  for (let k = 0; k < a.key.length; k++) {
    const x = a.key[k];
    const y = b.key[k];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

export class RollupDeltas {
  private readonly trees: Level[] = ROLLUP_TABLES.map(() => new Map());
  private readonly entries: Entry[][] = ROLLUP_TABLES.map(() => []);
  private readonly scratch: (string | number)[][] = ROLLUP_TABLES.map((t) =>
    new Array<string | number>(t.keys.length).fill(''),
  );
  /** The last event's buckets, reused while events share an hour (a stream is mostly in order). */
  private at: Bucket = { hour: '', day: '' };
  private atHour = '\u0000';
  size = 0;

  constructor(private readonly shard: number) {}

  /** Counts one newly inserted event; `firstTouch` says whether it is its delivery's first open, click or reply. */
  add(r: EventRow, firstTouch: boolean): void {
    const counters = BY_TYPE.get(r.type);
    if (!counters || r.testMode || r.campaignId === null) return;
    this.size++;
    const at = this.bucketOf(r.occurredAt);
    for (let i = 0; i < ROLLUP_TABLES.length; i++) {
      const key = this.scratch[i];
      if (!ROLLUP_TABLES[i].key(r, at, this.shard, key)) continue;
      let level = this.trees[i];
      for (let k = 0; k < key.length - 1; k++) {
        let next = level.get(key[k]) as Level | undefined;
        if (!next) level.set(key[k], (next = new Map()));
        level = next;
      }
      let e = level.get(key[key.length - 1]) as Entry | undefined;
      if (!e) {
        e = {
          key: key.slice(),
          stepPosition: null,
          counters: new Array<number>(COUNTERS.length).fill(0),
        };
        level.set(key[key.length - 1], e);
        this.entries[i].push(e);
      }
      for (const c of counters.always) e.counters[c]++;
      if (firstTouch) for (const c of counters.firstTouch) e.counters[c]++;
      for (const c of counters.value) e.counters[c] += toTenThousandths(r.value ?? 0);
      if (i === 0 && r.stepPosition !== null)
        e.stepPosition = Math.max(e.stepPosition ?? r.stepPosition, r.stepPosition);
    }
  }

  private bucketOf(occurredAt: string): Bucket {
    // parseEvent writes ISO strings: the same hour is the same first 13 characters.
    if (!occurredAt.startsWith(this.atHour)) {
      this.atHour = occurredAt.slice(0, 13);
      this.at = { hour: `${this.atHour}:00:00Z`, day: occurredAt.slice(0, 10) };
    }
    return this.at;
  }

  /**
   * Column arrays per table, rows sorted by key: every consumer locks shared rollup rows in the
   * same order, so concurrent partitions cannot deadlock on them.
   */
  rows(): RollupRows[] {
    return ROLLUP_TABLES.map((table, i) => {
      const entries = [...this.entries[i]].sort(compareKeys);
      return {
        table,
        keys: table.keys.map((_, k) => entries.map((e) => e.key[k])),
        stepPositions: entries.map((e) => e.stepPosition),
        counters: COUNTERS.map((_, c) => entries.map((e) => e.counters[c])),
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
