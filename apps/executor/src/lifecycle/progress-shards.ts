/**
 * Every backend that ever wrote the ledger left its own progress counter rows (shard = its
 * pid), so without folding the table would grow with every connection of every executor that
 * ever ran. These statements fold the rows of backends that no longer exist into shard 0. The
 * DELETE … RETURNING and the upsert are one statement, one snapshot: every count moves exactly
 * once, and a live backend's rows are never touched (its triggers would have to wait). A pid
 * the OS hands out again simply continues the old rows. Then the folded rows that sum to zero
 * go. Run by the sweeper every 30 s; exported for the e2e test that checks progress is
 * unchanged by a fold.
 */
export const FOLD_PROGRESS_SHARDS = [
  `WITH gone AS (
     DELETE FROM executor.progress_counters
      WHERE shard <> 0 AND kind <> 'sent_10s'
        AND shard NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
     RETURNING campaign_id, kind, status, code, num, n, sample)
   INSERT INTO executor.progress_counters AS p (campaign_id, kind, status, code, num, shard, n, sample)
   SELECT campaign_id, kind, status, code, num, 0, sum(n), min(sample) FROM gone
    GROUP BY campaign_id, kind, status, code, num
   ON CONFLICT (campaign_id, kind, status, code, num, shard)
   DO UPDATE SET n = p.n + EXCLUDED.n, sample = coalesce(p.sample, EXCLUDED.sample)`,
  `DELETE FROM executor.progress_counters WHERE shard = 0 AND n = 0 AND kind <> 'sent_10s'`,
];
