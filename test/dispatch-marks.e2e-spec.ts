import { TEST_DB } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { takeDue } from '../apps/executor/src/dispatch/dispatcher';

/**
 * The dispatch take against enrollment pages committing while it runs, on the test database's
 * executor schema (real Postgres, no executor process involved: the campaign has no run, so the
 * stack's own executor never takes it). Writers commit pages the way enrollment does (rows due
 * at their transaction's start, transactions overlapping and committing out of order) while a
 * taker takes again and again; once the writers are done and the taker has caught up, every
 * row must have been taken. A row the mark passed before its page committed would only come
 * back after DISPATCH_LEASE_MS, 10 minutes here.
 */
describe('dispatch marks: pages committing while a take runs', () => {
  const ds = new DataSource({
    type: 'postgres',
    url: `postgres://postgres@127.0.0.1:5432/${TEST_DB}`,
    // Its own name: the bound is the oldest open transaction of connections named like this
    // one, so the stack's executor does not hold these marks back.
    applicationName: `e2e-dispatch-marks-${process.pid}`,
    poolSize: 8,
  });
  const campaignId = randomUUID();
  const tenantId = randomUUID();
  const LEASE_MS = 600_000;

  beforeAll(() => ds.initialize());

  afterAll(async () => {
    await ds.query('DELETE FROM executor.enrollments WHERE campaign_id = $1', [campaignId]);
    await ds.query('DELETE FROM executor.dispatch_marks WHERE campaign_id = $1', [campaignId]);
    await ds.destroy();
  });

  it('every row of every page is taken, however the commits fall against the takes', async () => {
    const WRITERS = 4;
    const PAGES = 30;
    const PAGE = 200;
    let writing = WRITERS;
    const writer = async () => {
      for (let p = 0; p < PAGES; p++) {
        await ds.transaction(async (m) => {
          await m.query(
            `INSERT INTO executor.enrollments (tenant_id, workspace_id, campaign_id, lead_id)
             SELECT $1, $1, $2, gen_random_uuid() FROM generate_series(1, $3)`,
            [tenantId, campaignId, PAGE],
          );
          // Hold the page open a little, so that transactions overlap and commit out of order.
          await m.query('SELECT pg_sleep(random() * 0.02)');
        });
      }
      writing--;
    };
    const taken = new Set<string>();
    let takesWhileWriting = 0;
    const take = async () => {
      const rows = await takeDue(ds, campaignId, 5000, LEASE_MS);
      if (writing > 0) takesWhileWriting++;
      for (const r of rows) taken.add(r.id);
      return rows.length;
    };
    const taker = async () => {
      while (writing > 0) await take();
      // Caught up: the writers are done, so a take that finds nothing has seen everything.
      while ((await take()) > 0);
    };
    await Promise.all([...Array.from({ length: WRITERS }, writer), taker()]);

    const [{ count }] = await ds.query(
      'SELECT count(*)::int AS count FROM executor.enrollments WHERE campaign_id = $1',
      [campaignId],
    );
    expect(count).toBe(WRITERS * PAGES * PAGE);
    // The takes ran among the commits, not only after them.
    expect(takesWhileWriting).toBeGreaterThan(PAGES);
    // Rows left behind the mark: due, never handed out.
    expect(count - taken.size).toBe(0);
  });
});
