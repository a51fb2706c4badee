import { createTenant, stopProcess, testSql, TestTenant } from '@app/testing';
import {
  contact,
  ExecutorProcess,
  recipients,
  restoreExecutor,
  REAL_LEADS,
  seedLeads,
  segmentOf,
  startExecutor,
  takeOverExecutor,
  waitUntil,
} from './executor-harness';

jest.setTimeout(120000);

/** Pages of 7 contacts: a 40-contact audience is six pages, so resuming mid-way means something. */
const ENV = { ...REAL_LEADS, ENROLL_PAGE_SIZE: '7' };

const sql = testSql;

const uuid = (value: string): string => {
  if (!/^[0-9a-f-]{36}$/.test(value)) throw new Error(`not a uuid: ${value}`);
  return value;
};

/** A drip whose first step waits a day: enrollment is all that happens during the test. */
async function launchDrip(t: TestTenant, segment: string, name: string): Promise<string> {
  const created = await t.api.post('/api/v1/campaigns', {
    name,
    type: 'drip',
    fromEmail: 'news@acme.example',
    targetAudience: { segments: [segment] },
  });
  const id = uuid(created.body.data.id);
  await t.api.post(`/api/v1/campaigns/${id}/steps`, {
    type: 'wait',
    delay: { amount: 1, unit: 'days' },
  });
  await t.api.post(`/api/v1/campaigns/${id}/steps`, {
    type: 'email',
    subject: 'Later',
    bodyText: 'x',
  });
  expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
  return id;
}

const enrollDone = (id: string) =>
  waitUntil(
    `enrollment of ${id}`,
    async () =>
      sql(`SELECT enroll_done FROM executor.campaign_runs WHERE campaign_id = '${uuid(id)}'`),
    (done) => done === 't',
  );

/** Enrollment id by lead id, and the run's counter. */
function enrollmentsOf(id: string): {
  byLead: Map<string, string>;
  rows: number;
  enrolled: number;
} {
  const lines = sql(
    `SELECT lead_id || ',' || id FROM executor.enrollments WHERE campaign_id = '${uuid(id)}'`,
  )
    .split('\n')
    .filter(Boolean);
  const byLead = new Map(lines.map((l) => l.split(',') as [string, string]));
  const enrolled = Number(
    sql(`SELECT enrolled FROM executor.campaign_runs WHERE campaign_id = '${uuid(id)}'`),
  );
  return { byLead, rows: lines.length, enrolled };
}

describe('executor: enrollment', () => {
  let t: TestTenant;
  let executor: ExecutorProcess;

  beforeAll(async () => {
    await takeOverExecutor();
    executor = await startExecutor(0, ENV);
    t = await createTenant('exec-enroll');
  });

  afterAll(async () => {
    await stopProcess(executor.child);
    await restoreExecutor();
  });

  it('an enrollment interrupted with pages committed past its cursor resumes after a restart: each contact once, counters right', async () => {
    const leadIds = await seedLeads(
      t,
      recipients('enroll-resume', 40).map((e) => contact(e)),
    );
    const id = await launchDrip(t, await segmentOf(t, leadIds), 'Resume');
    await enrollDone(id);
    const first = enrollmentsOf(id);
    expect(first.rows).toBe(40);
    expect(first.enrolled).toBe(40);

    // The state a crash leaves: page 1 committed with its cursor, pages 2 and 3 committed (they
    // were written while the cursor waited), pages 4 to 6 never committed.
    await stopProcess(executor.child);
    const sorted = [...leadIds].sort();
    const cursor = uuid(sorted[6]);
    const lastCommitted = uuid(sorted[20]);
    const ws = uuid(
      sql(`SELECT workspace_id FROM executor.campaign_runs WHERE campaign_id = '${id}'`),
    );
    sql(
      `DELETE FROM executor.enrollments WHERE campaign_id = '${id}' AND lead_id > '${lastCommitted}'`,
    );
    sql(
      `DELETE FROM executor.contacts WHERE workspace_id = '${ws}'
         AND lead_id IN (${sorted.slice(21).map((l) => `'${uuid(l)}'`)})`,
    );
    sql(
      `UPDATE executor.campaign_runs SET enroll_cursor = '${cursor}', enroll_done = false, enrolled = 21
        WHERE campaign_id = '${id}'`,
    );

    // No job is waiting for it any more (it completed): the restart queues it again.
    executor = await startExecutor(0, ENV);
    await enrollDone(id);
    const resumed = enrollmentsOf(id);
    expect(resumed.rows).toBe(40);
    expect(resumed.enrolled).toBe(40);
    expect([...resumed.byLead.keys()].sort()).toEqual(sorted);
    // The 21 committed enrollments are the same rows (replayed pages inserted nothing).
    for (const lead of sorted.slice(0, 21))
      expect(resumed.byLead.get(lead)).toBe(first.byLead.get(lead));
    expect(
      Number(
        sql(
          `SELECT count(*) FROM executor.contacts WHERE workspace_id = '${ws}'
             AND lead_id IN (${sorted.map((l) => `'${uuid(l)}'`)})`,
        ),
      ),
    ).toBe(40);
    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;
    expect(progress.enrollments.active).toBe(40);
  });

  it('two campaigns launched together over the same new contacts each enroll everyone once', async () => {
    const leadIds = await seedLeads(
      t,
      recipients('enroll-twice', 40).map((e) => contact(e, { firstName: 'Twin' })),
    );
    const segment = await segmentOf(t, leadIds);
    const [a, b] = await Promise.all([launchDrip(t, segment, 'A'), launchDrip(t, segment, 'B')]);
    await Promise.all([enrollDone(a), enrollDone(b)]);
    for (const id of [a, b]) {
      const { byLead, rows, enrolled } = enrollmentsOf(id);
      expect(rows).toBe(40);
      expect(enrolled).toBe(40);
      expect([...byLead.keys()].sort()).toEqual([...leadIds].sort());
    }
    const copies = sql(
      `SELECT count(*) || ',' || count(DISTINCT lead_id) || ',' || min(first_name) || ',' || max(first_name)
         FROM executor.contacts WHERE lead_id IN (${leadIds.map((l) => `'${uuid(l)}'`)})`,
    );
    expect(copies).toBe('40,40,Twin,Twin');
  });
});
