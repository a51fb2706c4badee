/**
 * The counters every rollup table carries, with the aggregate that fills each from a batch of
 * newly inserted events. `opened`/`clicked` are unique per delivery (first touch only), which
 * is what open and click rates are computed from; `opens`/`clicks` count every hit.
 */
export const COUNTERS = [
  { column: 'queued', agg: "count(*) FILTER (WHERE type = 'message.queued')" },
  { column: 'sent', agg: "count(*) FILTER (WHERE type = 'message.sent')" },
  { column: 'delivered', agg: "count(*) FILTER (WHERE type = 'message.delivered')" },
  { column: 'failed', agg: "count(*) FILTER (WHERE type = 'message.failed')" },
  { column: 'bounced', agg: "count(*) FILTER (WHERE type = 'message.bounced')" },
  { column: 'uncertain', agg: "count(*) FILTER (WHERE type = 'message.uncertain')" },
  { column: 'opened', agg: "count(*) FILTER (WHERE type = 'engagement.opened' AND first_touch)" },
  { column: 'opens', agg: "count(*) FILTER (WHERE type = 'engagement.opened')" },
  { column: 'clicked', agg: "count(*) FILTER (WHERE type = 'engagement.clicked' AND first_touch)" },
  { column: 'clicks', agg: "count(*) FILTER (WHERE type = 'engagement.clicked')" },
  { column: 'replied', agg: "count(*) FILTER (WHERE type = 'engagement.replied')" },
  { column: 'unsubscribed', agg: "count(*) FILTER (WHERE type = 'engagement.unsubscribed')" },
  { column: 'complained', agg: "count(*) FILTER (WHERE type = 'engagement.complained')" },
  { column: 'converted', agg: "count(*) FILTER (WHERE type = 'engagement.converted')" },
  {
    column: 'revenue',
    agg: "coalesce(sum(value) FILTER (WHERE type = 'engagement.converted'), 0)",
  },
] as const;

export type CounterColumn = (typeof COUNTERS)[number]['column'];
export const COUNTER_COLUMNS: CounterColumn[] = COUNTERS.map((c) => c.column);
export type Counters = Record<CounterColumn, number>;

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
