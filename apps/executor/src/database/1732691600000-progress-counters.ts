import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Progress counters kept by the database itself: statement-level triggers on `deliveries` and
 * `enrollments` add what each statement changed (by status; deliveries also by failure code,
 * enrollments by step) to `progress_counters`, in the same transaction as the change, so a
 * progress reading is a sum over a few rows instead of a scan of the campaign's ledger, and it
 * is exact at every moment. Every path that writes the ledger (claim, settle, skip, release,
 * claim recovery, bounces, cancel, enrollment) is counted without being changed.
 *
 * - `shard` is the backend pid of the writer: concurrent statements never update the same
 *   counter row, so they neither wait for each other nor deadlock (no ordering needed); a
 *   reading sums the shards.
 * - `sent_10s` rows count sends per 10-second bucket (`num`), for the current rate: rows that
 *   became `sent` in this transaction (the outcome sets `finished_at = now()`); the sweep
 *   deletes buckets older than two minutes.
 * - The triggers cost about an eighth of the executor's Postgres CPU while sending (perf,
 *   SMTP bench: mostly the fixed cost of a plpgsql call and its statement per claim or outcome
 *   statement); the scans they replace cost about a tenth at one progress poll a second on a
 *   100,000-contact campaign, and grew with the campaign and the number of people watching.
 * - Existing rows are counted once here (shard 0).
 */
export class ExecutorProgressCounters1732691600000 implements MigrationInterface {
  name = 'ExecutorProgressCounters1732691600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE executor.progress_counters (
        campaign_id uuid NOT NULL,
        kind text NOT NULL,
        status text NOT NULL,
        code text NOT NULL DEFAULT '',
        num int NOT NULL DEFAULT 0,
        shard int NOT NULL,
        n bigint NOT NULL,
        sample text,
        PRIMARY KEY (campaign_id, kind, status, code, num, shard)
      )`);
    await q.query(`
      CREATE FUNCTION executor.count_deliveries() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO executor.progress_counters AS p (campaign_id, kind, status, code, num, shard, n, sample)
          SELECT campaign_id, 'delivery', status, coalesce(code, ''), 0, pg_backend_pid(), count(*), min(reason)
            FROM new_rows GROUP BY 1, 3, 4
          ON CONFLICT (campaign_id, kind, status, code, num, shard)
          DO UPDATE SET n = p.n + EXCLUDED.n, sample = coalesce(p.sample, EXCLUDED.sample);
        ELSIF TG_OP = 'UPDATE' THEN
          INSERT INTO executor.progress_counters AS p (campaign_id, kind, status, code, num, shard, n, sample)
          SELECT campaign_id, kind, status, code, num, pg_backend_pid(), sum(n), min(sample)
            FROM (SELECT campaign_id, 'delivery' AS kind, status, coalesce(code, '') AS code, 0 AS num,
                         1 AS n, reason AS sample FROM new_rows
                  UNION ALL
                  SELECT campaign_id, 'delivery', status, coalesce(code, ''), 0, -1, NULL FROM old_rows
                  UNION ALL
                  SELECT campaign_id, 'sent_10s', 'sent', '', floor(extract(epoch FROM now()) / 10)::int, 1, NULL
                    FROM new_rows WHERE status = 'sent' AND finished_at = now()) c
           GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0
          ON CONFLICT (campaign_id, kind, status, code, num, shard)
          DO UPDATE SET n = p.n + EXCLUDED.n, sample = coalesce(p.sample, EXCLUDED.sample);
        ELSE
          INSERT INTO executor.progress_counters AS p (campaign_id, kind, status, code, num, shard, n)
          SELECT campaign_id, 'delivery', status, coalesce(code, ''), 0, pg_backend_pid(), -count(*)
            FROM old_rows GROUP BY 1, 3, 4
          ON CONFLICT (campaign_id, kind, status, code, num, shard) DO UPDATE SET n = p.n + EXCLUDED.n;
        END IF;
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE FUNCTION executor.count_enrollments() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO executor.progress_counters AS p (campaign_id, kind, status, num, shard, n)
          SELECT campaign_id, 'enrollment', status, step_index, pg_backend_pid(), count(*)
            FROM new_rows GROUP BY 1, 3, 4
          ON CONFLICT (campaign_id, kind, status, code, num, shard) DO UPDATE SET n = p.n + EXCLUDED.n;
        ELSIF TG_OP = 'UPDATE' THEN
          INSERT INTO executor.progress_counters AS p (campaign_id, kind, status, num, shard, n)
          SELECT campaign_id, 'enrollment', status, step_index, pg_backend_pid(), sum(n)
            FROM (SELECT campaign_id, status, step_index, 1 AS n FROM new_rows
                  UNION ALL
                  SELECT campaign_id, status, step_index, -1 FROM old_rows) c
           GROUP BY 1, 3, 4 HAVING sum(n) <> 0
          ON CONFLICT (campaign_id, kind, status, code, num, shard) DO UPDATE SET n = p.n + EXCLUDED.n;
        ELSE
          INSERT INTO executor.progress_counters AS p (campaign_id, kind, status, num, shard, n)
          SELECT campaign_id, 'enrollment', status, step_index, pg_backend_pid(), -count(*)
            FROM old_rows GROUP BY 1, 3, 4
          ON CONFLICT (campaign_id, kind, status, code, num, shard) DO UPDATE SET n = p.n + EXCLUDED.n;
        END IF;
        RETURN NULL;
      END $fn$`);
    for (const table of ['deliveries', 'enrollments']) {
      const fn = `executor.count_${table}()`;
      await q.query(`CREATE TRIGGER ${table}_count_insert AFTER INSERT ON executor.${table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`);
      await q.query(`CREATE TRIGGER ${table}_count_update AFTER UPDATE ON executor.${table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`);
      await q.query(`CREATE TRIGGER ${table}_count_delete AFTER DELETE ON executor.${table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`);
    }
    await q.query(`
      INSERT INTO executor.progress_counters (campaign_id, kind, status, code, num, shard, n, sample)
      SELECT campaign_id, 'delivery', status, coalesce(code, ''), 0, 0, count(*), min(reason)
        FROM executor.deliveries GROUP BY 1, 3, 4
      UNION ALL
      SELECT campaign_id, 'enrollment', status, '', step_index, 0, count(*), NULL
        FROM executor.enrollments GROUP BY 1, 3, 5`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['deliveries', 'enrollments'])
      for (const op of ['insert', 'update', 'delete'])
        await q.query(`DROP TRIGGER IF EXISTS ${table}_count_${op} ON executor.${table}`);
    await q.query('DROP FUNCTION IF EXISTS executor.count_deliveries()');
    await q.query('DROP FUNCTION IF EXISTS executor.count_enrollments()');
    await q.query('DROP TABLE IF EXISTS executor.progress_counters');
  }
}
