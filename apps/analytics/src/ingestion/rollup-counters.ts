/**
 * The counters every rollup table carries, and the event type that feeds each.
 * `opened`/`clicked`/`replied` are unique per delivery (first touch only), which is what open,
 * click and reply rates are computed from; `opens`/`clicks`/`replies` count every event.
 * `revenue` sums `engagement.converted` values. A new counter needs a migration that adds its
 * column to every rollup table (see 1732690200600-reply-counts).
 */
export const COUNTERS = [
  { column: 'queued', type: 'message.queued' },
  { column: 'sent', type: 'message.sent' },
  { column: 'delivered', type: 'message.delivered' },
  { column: 'failed', type: 'message.failed' },
  { column: 'bounced', type: 'message.bounced' },
  { column: 'uncertain', type: 'message.uncertain' },
  { column: 'opened', type: 'engagement.opened', firstTouch: true },
  { column: 'opens', type: 'engagement.opened' },
  { column: 'clicked', type: 'engagement.clicked', firstTouch: true },
  { column: 'clicks', type: 'engagement.clicked' },
  { column: 'replied', type: 'engagement.replied', firstTouch: true },
  { column: 'replies', type: 'engagement.replied' },
  { column: 'unsubscribed', type: 'engagement.unsubscribed' },
  { column: 'complained', type: 'engagement.complained' },
  { column: 'converted', type: 'engagement.converted' },
  { column: 'revenue', type: 'engagement.converted', value: true },
] as const;

export type CounterColumn = (typeof COUNTERS)[number]['column'];
export const COUNTER_COLUMNS: CounterColumn[] = COUNTERS.map((c) => c.column);
export type Counters = Record<CounterColumn, number>;
export const REVENUE_INDEX = COUNTER_COLUMNS.indexOf('revenue');

/** Event types with a first-touch counter: their first event per delivery is recorded once. */
export const FIRST_TOUCH_TYPES: ReadonlySet<string> = new Set(
  COUNTERS.filter((c) => 'firstTouch' in c).map((c) => c.type),
);

export function zeroCounters(): Counters {
  return Object.fromEntries(COUNTER_COLUMNS.map((c) => [c, 0])) as Counters;
}

/**
 * `sum(x::float8) AS x, ...` for read queries over rollup tables. float8 accumulation is several
 * times cheaper than numeric (what sum(bigint) and sum(numeric) use) and exact for counts below
 * 2^53; revenue is rounded to cents afterwards.
 */
export function sumCounters(columns: readonly string[] = COUNTER_COLUMNS): string {
  return columns.map((c) => `coalesce(sum(${c}::float8), 0) AS "${c}"`).join(', ');
}
