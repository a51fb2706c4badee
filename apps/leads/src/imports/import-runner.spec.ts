import { settlesWithin } from '@app/testing/settles';
import { DataSource } from 'typeorm';
import { LeadEvents } from '../leads/lead-events';
import { LeadIndexUpkeep } from '../leads/lead-index-upkeep';
import { LeadsEnv } from '../leads-env';
import { ImportFinisher } from './import-finisher';
import { ImportRunner } from './import-runner';

describe('ImportRunner shutdown', () => {
  const hour = 3_600_000;

  it('returns when it arrives while a job is being looked for (no poll starts after it)', async () => {
    let claiming!: () => void;
    let answer!: (result: unknown) => void;
    const asked = new Promise<void>((resolve) => (claiming = resolve));
    const ds = {
      query: () => {
        claiming();
        return new Promise((resolve) => (answer = resolve));
      },
    } as unknown as DataSource;
    const runner = new ImportRunner(
      ds,
      {} as LeadEvents,
      {} as ImportFinisher,
      {} as LeadIndexUpkeep,
      { LEADS_IMPORT_POLL_MS: hour } as LeadsEnv,
    );
    runner.onApplicationBootstrap();
    await asked;
    const stopped = runner.onApplicationShutdown();
    answer([[]]); // no job queued: the loop would now wait for the next poll
    expect(await settlesWithin(stopped)).toBe(true);
  });
});
