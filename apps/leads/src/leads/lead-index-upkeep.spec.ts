import { DataSource } from 'typeorm';
import { LeadsEnv } from '../leads-env';
import { LeadIndexUpkeep } from './lead-index-upkeep';

/** A DataSource whose look query answers from `state`, recording every statement. */
function fakeDb(state: { written: number; importing: boolean }) {
  const statements: string[] = [];
  const ds = {
    query: async (sql: string) => {
      statements.push(sql);
      if (sql.includes('pg_stat_user_tables'))
        return [{ written: String(state.written), importing: state.importing }];
      if (sql.includes('gin_clean_pending_list'))
        return [
          { index: 'leads_search_names', pages: '12' },
          { index: 'leads_custom_fields', pages: '3' },
        ];
      return [];
    },
  } as unknown as DataSource;
  const merges = () => statements.filter((s) => s.includes('gin_clean_pending_list')).length;
  return { ds, statements, merges };
}

const env = {
  LEADS_INDEX_UPKEEP_MS: 3_600_000,
  LEADS_INDEX_MERGE_ROWS: 100,
  LEADS_IMPORT_INDEX_CLEANUP_ROWS: 1000,
} as LeadsEnv;

describe('LeadIndexUpkeep', () => {
  it('merges once LEADS_INDEX_MERGE_ROWS rows were written since its last look, counting from the first', async () => {
    const state = { written: 5000, importing: false };
    const db = fakeDb(state);
    const upkeep = new LeadIndexUpkeep(db.ds, env);
    // The first look only takes the count: rows written before it are not known to be pending.
    expect(await upkeep.tick()).toBe(false);
    state.written += 99;
    expect(await upkeep.tick()).toBe(false);
    state.written += 1;
    expect(await upkeep.tick()).toBe(true);
    expect(db.merges()).toBe(1);
    // Counting starts again from the merge.
    state.written += 99;
    expect(await upkeep.tick()).toBe(false);
    state.written += 1;
    expect(await upkeep.tick()).toBe(true);
    expect(db.merges()).toBe(2);
  });

  it('leaves the lists to the upkeep that follows a running import', async () => {
    const state = { written: 0, importing: false };
    const db = fakeDb(state);
    const upkeep = new LeadIndexUpkeep(db.ds, env);
    await upkeep.tick();
    state.written = 500;
    state.importing = true;
    expect(await upkeep.tick()).toBe(false);
    state.importing = false;
    expect(await upkeep.tick()).toBe(true);
    expect(db.merges()).toBe(1);
  });

  it('counts from scratch when the statistics were reset', async () => {
    const state = { written: 10_000, importing: false };
    const db = fakeDb(state);
    const upkeep = new LeadIndexUpkeep(db.ds, env);
    await upkeep.tick();
    state.written = 150; // pg_stat_reset(): below the last count
    expect(await upkeep.tick()).toBe(false);
    state.written = 249;
    expect(await upkeep.tick()).toBe(false);
    state.written = 250;
    expect(await upkeep.tick()).toBe(true);
  });

  it('merges and analyses after an import that wrote LEADS_IMPORT_INDEX_CLEANUP_ROWS leads, not before, is awaited at shutdown and starts nothing after it', async () => {
    const db = fakeDb({ written: 0, importing: false });
    const upkeep = new LeadIndexUpkeep(db.ds, env);
    upkeep.afterImport('small', 999);
    await upkeep.onApplicationShutdown();
    expect(db.statements).toEqual([]);
    const running = new LeadIndexUpkeep(db.ds, env);
    running.afterImport('big', 1000);
    await running.onApplicationShutdown();
    expect(db.merges()).toBe(1);
    expect(db.statements[db.statements.length - 1]).toBe('ANALYZE leads.leads');
    // After shutdown nothing new starts (the pool is closing): autovacuum will merge.
    running.afterImport('late', 5000);
    await running.onApplicationShutdown();
    expect(db.merges()).toBe(1);
  });

  it('goes on after a merge it may not do (the role does not own the table)', async () => {
    const state = { written: 0, importing: false };
    const statements: string[] = [];
    const ds = {
      query: async (sql: string) => {
        statements.push(sql);
        if (sql.includes('pg_stat_user_tables'))
          return [{ written: String(state.written), importing: false }];
        throw new Error('must be owner of index leads_search_names');
      },
    } as unknown as DataSource;
    const upkeep = new LeadIndexUpkeep(ds, env);
    await upkeep.tick();
    state.written = 100;
    expect(await upkeep.tick()).toBe(true);
    // Not tried again until another LEADS_INDEX_MERGE_ROWS rows come in.
    expect(await upkeep.tick()).toBe(false);
    expect(statements.filter((s) => s.includes('gin_clean_pending_list'))).toHaveLength(1);
  });
});
