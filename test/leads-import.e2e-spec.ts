import { copyFromStdin } from '@app/database';
import {
  Api,
  createTenant,
  KafkaCollector,
  stopProcess,
  TEST_DB,
  TestTenant,
  testSql,
} from '@app/testing';
import { parse } from 'csv-parse/sync';
import { ChildProcess } from 'node:child_process';
import { DataSource, EntityManager } from 'typeorm';
import { parseRow } from '../apps/leads/src/imports/import-row';
import { ensureStage, StageBuffer } from '../apps/leads/src/imports/import-stage';
import { createCampaign } from './fixtures';
import { ownLeadsStack, uploadCsv, waitForImport } from './leads-fixtures';

const CRLF = '\r\n';
// Line numbers as an editor shows them: the header is line 1, the quoted note spans 2-3.
const MESSY =
  [
    '\uFEFFEmail,First Name,Last Name,Company,Lead Score,Country,Interests,Notes',
    'ann@imp.test,Ann,Smith,"Acme, Inc.",90,US,tech|golf,"multi' + CRLF + 'line note"',
    'bob@imp.test,Bob,Jones,Beta,50,CA,,',
    'not-an-email,Bad,Row,X,10,US,,',
    'ANN@imp.test,Ann,Dup,,,,,',
    'cid@imp.test,Cid,,Gamma,101,US,,',
    '',
    'existing@imp.test,Existing,New,,,,,',
    'dee@imp.test,Dee,,,,USA,,',
    // A tab and a backslash: the bytes COPY's text format escapes.
    'eve@imp.test,"Eve ""The"" E",,"Tab\tCo \\ 100%",,,,',
    ',NoEmail,,,,,,',
    'fay@imp.test,Fay,,,,,,,extra',
  ].join(CRLF) + CRLF;

// The e2e project's testTimeout is not applied per project; these talk to a real stack.
jest.setTimeout(60_000);

/** Pages in a GIN index's pending list (pgstattuple), i.e. entries not yet merged. */
function pendingPages(index: string): number {
  testSql('CREATE EXTENSION IF NOT EXISTS pgstattuple');
  return Number(testSql(`SELECT pending_pages FROM pgstatginindex('leads.${index}')`));
}

describe('leads: CSV import', () => {
  let t: TestTenant;

  beforeAll(async () => {
    t = await createTenant('import');
    await t.api.post('/api/v1/leads', {
      contact: { email: 'existing@imp.test', firstName: 'Old' },
    });
  });

  it('imports good rows, skips duplicates, rejects bad rows with their line and reason', async () => {
    const start = await uploadCsv(t.api, '/api/v1/leads/import', MESSY);
    expect(start.status).toBe(202);
    expect(start.body.data).toMatchObject({ status: 'queued', duplicatePolicy: 'skip' });
    expect(start.body.data.mapping).toEqual({
      Email: 'email',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Company: 'company',
      'Lead Score': 'leadScore',
      Country: 'country',
      Interests: 'customFields.interests',
      Notes: 'notes',
    });
    const job = await waitForImport(t.api, start.body.data.id);
    expect(job).toMatchObject({
      status: 'completed',
      result: { created: 3, updated: 0, skipped: 2, rejected: 5 },
      progress: { rowsDone: 10, percent: 100, etaSeconds: 0 },
    });
    expect(job.progress.rowsPerSecond).toBeGreaterThan(0);

    const issues = await t.api.get(`/api/v1/leads/imports/${job.id}/rejections`);
    expect(issues.body.data.map((i: any) => [i.line, i.outcome, i.reason])).toEqual([
      [5, 'rejected', 'email "not-an-email" is not a valid address'],
      [6, 'skipped', 'duplicate of line 2 in this file'],
      [7, 'rejected', 'leadScore "101" must be a whole number from 0 to 100'],
      [9, 'skipped', 'email already exists in the workspace (policy: skip)'],
      [10, 'rejected', 'country "USA" must be a 2-letter country code'],
      [12, 'rejected', 'email is missing'],
      [13, 'rejected', 'has 9 fields, the header has 8'],
    ]);
    expect(issues.body.data[0].data).toMatchObject({ Email: 'not-an-email', 'First Name': 'Bad' });

    const csv = await t.api.get(`/api/v1/leads/imports/${job.id}/rejections.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.line, r.outcome])).toEqual([
      ['5', 'rejected'],
      ['6', 'skipped'],
      ['7', 'rejected'],
      ['9', 'skipped'],
      ['10', 'rejected'],
      ['12', 'rejected'],
      ['13', 'rejected'],
    ]);
    expect(rows[1]).toMatchObject({ Email: 'ANN@imp.test', 'Last Name': 'Dup' });
    expect(rows[2]).toMatchObject({
      reason: 'leadScore "101" must be a whole number from 0 to 100',
      Email: 'cid@imp.test',
      'Lead Score': '101',
    });

    const ann = (await t.api.get('/api/v1/leads?search=ann@imp.test')).body.data[0];
    expect(ann).toMatchObject({
      source: 'import',
      notes: 'multi\r\nline note',
      contact: { firstName: 'Ann', lastName: 'Smith', company: 'Acme, Inc.' },
      qualification: { leadScore: 90 },
      profile: { country: 'US' },
      customFields: { interests: ['tech', 'golf'] },
    });
    const eve = (await t.api.get('/api/v1/leads?search=eve@imp.test')).body.data[0];
    expect(eve.contact).toMatchObject({ firstName: 'Eve "The" E', company: 'Tab\tCo \\ 100%' });
    const existing = (await t.api.get('/api/v1/leads?search=existing@imp.test')).body.data[0];
    expect(existing.contact).toMatchObject({ firstName: 'Old', lastName: null });
  });

  it('writes a batch of new addresses as is, and takes the checked path when one is taken', async () => {
    // All new and none repeated: the batch goes straight into leads (one COPY).
    const fresh = ['Email,First Name,Consent', 'new1@imp.test,Nia,yes', 'new2@imp.test,Ned,'];
    const first = await uploadCsv(t.api, '/api/v1/leads/import', fresh.join(CRLF) + CRLF);
    const one = await waitForImport(t.api, first.body.data.id);
    expect(one).toMatchObject({
      status: 'completed',
      result: { created: 2, updated: 0, skipped: 0, rejected: 0 },
    });
    const nia = (await t.api.get('/api/v1/leads?search=new1@imp.test')).body.data[0];
    expect(nia).toMatchObject({
      status: 'new',
      source: 'import',
      contact: { email: 'new1@imp.test', firstName: 'Nia' },
      consent: { email: true, source: 'import' },
    });
    expect(Date.now() - Date.parse(nia.consent.updatedAt)).toBeLessThan(120_000);
    const ned = (await t.api.get('/api/v1/leads?search=new2@imp.test')).body.data[0];
    expect(ned.consent).toEqual({ email: null, source: null, updatedAt: null });

    // No address repeats within the file, but the last one is already a lead: the direct COPY
    // meets the unique index, is rolled back whole, and the batch is written the checked way.
    const taken = [
      'Email,First Name',
      'new3@imp.test,Nora',
      'new4@imp.test,Nat',
      'new1@imp.test,Again',
    ];
    const second = await uploadCsv(t.api, '/api/v1/leads/import', taken.join(CRLF) + CRLF);
    const two = await waitForImport(t.api, second.body.data.id);
    expect(two).toMatchObject({
      status: 'completed',
      result: { created: 2, updated: 0, skipped: 1, rejected: 0 },
    });
    const issues = await t.api.get(`/api/v1/leads/imports/${two.id}/rejections`);
    expect(issues.body.data.map((i: any) => [i.line, i.outcome, i.reason])).toEqual([
      [4, 'skipped', 'email already exists in the workspace (policy: skip)'],
    ]);
    for (const email of ['new3@imp.test', 'new4@imp.test'])
      expect((await t.api.get(`/api/v1/leads?search=${email}`)).body.data).toHaveLength(1);
    const kept = (await t.api.get('/api/v1/leads?search=new1@imp.test')).body.data;
    expect(kept).toHaveLength(1);
    expect(kept[0].contact.firstName).toBe('Nia');
  });

  it('updates known leads under the update policy, with an explicit mapping', async () => {
    const csv =
      'Contact,Org,Internal id,Seats\nexisting@imp.test,Newco,X1,12\nnew@imp.test,Fresh,X2,3\n' +
      'EXISTING@imp.test,Second,X3,1\n';
    const start = await uploadCsv(t.api, '/api/v1/leads/import', csv, {
      duplicatePolicy: 'update',
      mapping: JSON.stringify({ Contact: 'email', Org: 'company', 'Internal id': '' }),
      source: 'trade_show',
    });
    expect(start.status).toBe(202);
    expect(start.body.data.mapping).toEqual({
      Contact: 'email',
      Org: 'company',
      'Internal id': '',
      Seats: 'customFields.seats',
    });
    const job = await waitForImport(t.api, start.body.data.id);
    // The known address twice in one batch: the first line updates it, the second is a duplicate.
    expect(job.result).toEqual({ created: 1, updated: 1, skipped: 1, rejected: 0 });
    const issues = await t.api.get(`/api/v1/leads/imports/${job.id}/rejections`);
    expect(issues.body.data.map((i: any) => [i.line, i.outcome, i.reason])).toEqual([
      [4, 'skipped', 'duplicate of line 2 in this file'],
    ]);
    const existing = (await t.api.get('/api/v1/leads?search=existing@imp.test')).body.data[0];
    expect(existing).toMatchObject({
      contact: { firstName: 'Old', company: 'Newco' },
      customFields: { seats: 12 },
    });
    expect((await t.api.get('/api/v1/leads?search=new@imp.test')).body.data[0].source).toBe(
      'trade_show',
    );
  });

  it('announces created leads as lead.captured only when asked (triggerCampaigns)', async () => {
    const collector = new KafkaCollector(['test.lead.events']);
    await collector.start();
    try {
      const quiet = await waitForImport(
        t.api,
        (await uploadCsv(t.api, '/api/v1/leads/import', 'email\nquiet1@trig.test\n')).body.data.id,
      );
      expect(quiet.triggerCampaigns).toBe(false);
      const start = await uploadCsv(
        t.api,
        '/api/v1/leads/import',
        'email,first name\nloud1@trig.test,Lou\nloud2@trig.test,\nexisting@imp.test,Old\n',
        { triggerCampaigns: 'true', source: 'webinar_list' },
      );
      expect(start.body.data.triggerCampaigns).toBe(true);
      const job = await waitForImport(t.api, start.body.data.id);
      expect(job.result).toMatchObject({ created: 2, skipped: 1 });
      const captured = (email: string) =>
        collector.waitFor(
          (e) => e.value.type === 'lead.captured' && e.value.data.contact?.email === email,
        );
      const [one, two] = [await captured('loud1@trig.test'), await captured('loud2@trig.test')];
      expect(one.key).toBe(one.value.leadId);
      expect(one.value.workspaceId).toBe(t.workspaceId);
      expect(one.value.data).toMatchObject({
        leadId: one.value.leadId,
        source: 'webinar_list',
        merged: false,
        status: 'new',
        importJobId: job.id,
        contact: { email: 'loud1@trig.test', firstName: 'Lou', consent: null },
      });
      expect(two.value.data.contact.firstName).toBeNull();
      // The job's summary comes after its leads; nothing was announced for the quiet job or
      // for the known address.
      await collector.waitFor(
        (e) => e.value.type === 'lead.imported' && e.value.data.jobId === job.id,
      );
      const announced = collector.events
        .filter((e) => e.value.type === 'lead.captured')
        .map((e) => e.value.data.contact.email);
      expect(announced).not.toContain('quiet1@trig.test');
      expect(announced.filter((e: string) => e === 'existing@imp.test')).toEqual([]);
      expect((await t.api.post('/api/v1/leads/import', new FormData())).status).toBe(400);
      const bad = await uploadCsv(t.api, '/api/v1/leads/import', 'email\nx@trig.test\n', {
        triggerCampaigns: 'yes',
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.error.details)).toMatch(/triggerCampaigns/);
    } finally {
      await collector.stop();
    }
  });

  it('refuses a file it cannot map with a 400 naming the problem', async () => {
    const noEmail = await uploadCsv(t.api, '/api/v1/leads/import', 'Name,Company\nAnn,Acme\n');
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error.code).toBe('INVALID_IMPORT_MAPPING');
    expect(noEmail.body.message).toMatch(/no column maps to email/);
    const badTarget = await uploadCsv(t.api, '/api/v1/leads/import', 'Email,Size\na@b.co,3\n', {
      mapping: JSON.stringify({ Size: 'shoeSize' }),
    });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.error.details[0]).toMatchObject({
      field: 'mapping.Size',
      message: expect.stringMatching(/unknown field "shoeSize"/),
    });
    expect((await t.api.post('/api/v1/leads/import', new FormData())).status).toBe(400);
    expect((await uploadCsv(t.api, '/api/v1/leads/import', '')).status).toBe(400);
  });

  it('reports malformed CSV records at their line and imports the rows around them', async () => {
    const text = [
      'Email,First Name,Notes',
      'mal1@imp.test,An"n,x',
      'mal2@imp.test,Bo,"two',
      'lines" and more',
      'mal3@imp.test,Cy,"fine ""quoted"""',
      'mal4@imp.test,Di,"never closed',
      'mal5@imp.test,Ed,swallowed by the open quote',
    ].join('\n');
    const start = await uploadCsv(t.api, '/api/v1/leads/import', text);
    expect(start.status).toBe(202);
    const job = await waitForImport(t.api, start.body.data.id);
    expect(job).toMatchObject({
      status: 'completed',
      result: { created: 1, updated: 0, skipped: 0, rejected: 3 },
    });
    const issues = await t.api.get(`/api/v1/leads/imports/${job.id}/rejections`);
    expect(issues.body.data.map((i: any) => [i.line, i.reason])).toEqual([
      [2, 'malformed CSV: a quote inside the unquoted column 2'],
      [3, 'malformed CSV: text after the closing quote of column 3'],
      [6, 'malformed CSV: a quoted cell is not closed before the end of the file'],
    ]);
    const cy = (await t.api.get('/api/v1/leads?search=mal3@imp.test')).body.data;
    expect(cy.map((l: any) => l.notes)).toEqual(['fine "quoted"']);

    const badHeader = await uploadCsv(t.api, '/api/v1/leads/import', 'Email,"Na"me\na@b.co,x\n');
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.message).toBe(
      'The CSV header cannot be read: text after the closing quote of column 2',
    );
  });

  it('imports into a campaign, after checking the campaign', async () => {
    const campaign = await createCampaign(t.api, { name: 'Import target' });
    const start = await uploadCsv(
      t.api,
      `/api/v1/campaigns/${campaign.id}/leads/import`,
      'email\ncamp1@imp.test\ncamp2@imp.test\n',
    );
    expect(start.status).toBe(202);
    expect(start.body.data.campaignId).toBe(campaign.id);
    const job = await waitForImport(t.api, start.body.data.id);
    expect(job.result.created).toBe(2);
    const leads = await t.api.get(`/api/v1/campaigns/${campaign.id}/leads?sort=email`);
    expect(leads.body.data.map((l: any) => l.email)).toEqual(['camp1@imp.test', 'camp2@imp.test']);
    const foreign = await uploadCsv(
      t.api,
      '/api/v1/campaigns/11111111-1111-4111-8111-111111111111/leads/import',
      'email\na@b.co\n',
    );
    expect(foreign.status).toBe(404);
    expect((await t.api.get('/api/v1/leads/imports')).body.pagination.total).toBe(8);
  });

  it('hands a running job back on shutdown and another worker finishes it exactly once', async () => {
    // A second leads service takes the job (it is poked at upload), then stops mid-file; the
    // suite's own leads service resumes after the last committed line.
    const {
      leads: worker,
      gateway,
      api,
    } = await ownLeadsStack(t.key, { LEADS_IMPORT_BATCH_ROWS: '500' }, {}, '-restart');
    try {
      const rows = 40000;
      const csv =
        'email\n' + Array.from({ length: rows }, (_, i) => `resume${i}@imp.test`).join('\n');
      const start = await uploadCsv(api, '/api/v1/leads/import', csv);
      expect(start.status).toBe(202);
      const id = start.body.data.id;
      for (;;) {
        const job = (await t.api.get(`/api/v1/leads/imports/${id}`)).body.data;
        if (job.progress.rowsDone > 0 || job.status === 'completed') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await stopProcess(worker);
      const mid = (await t.api.get(`/api/v1/leads/imports/${id}`)).body.data;
      const job = await waitForImport(t.api, id);
      expect(job.status).toBe('completed');
      expect(job.result).toEqual({ created: rows, updated: 0, skipped: 0, rejected: 0 });
      expect(job.progress.rowsDone).toBe(rows);
      expect((await t.api.get('/api/v1/leads?search=resume&limit=1')).body.pagination.total).toBe(
        rows,
      );
      // Proof that the stop happened mid-file, not after the end.
      expect(mid.progress.rowsDone).toBeLessThan(rows);
    } finally {
      await Promise.all([stopProcess(worker), stopProcess(gateway)]);
    }
  });

  it('splits a file over write streams by email: exact counts, the first line of a repeated address wins', async () => {
    // Three streams of 100-row batches: each address repeats across batches (period 301, so
    // its lines alternate in parity), some are known leads, some rows are rejected. A stream
    // per line instead of per email would let a later line win or count a duplicate as new.
    const {
      leads: worker,
      gateway,
      api,
    } = await ownLeadsStack(
      t.key,
      { LEADS_IMPORT_BATCH_ROWS: '100', LEADS_IMPORT_WRITERS: '3' },
      {},
      '-streams',
    );
    try {
      const known = ['s0@streams.test', 's1@streams.test', 's150@streams.test'];
      for (const email of known) await api.post('/api/v1/leads', { contact: { email } });
      const lines = ['Email,First Name'];
      const expected: [number, string, string][] = [];
      const firstLine = new Map<string, number>();
      let created = 0;
      for (let i = 0; i < 1500; i++) {
        const line = i + 2;
        const email = i % 89 === 7 ? `broken-${i}` : `${i % 5 ? 's' : 'S'}${i % 301}@streams.test`;
        lines.push(`${email},F${i}`);
        const norm = email.toLowerCase();
        const first = firstLine.get(norm);
        if (i % 89 === 7)
          expected.push([line, 'rejected', `email "${email}" is not a valid address`]);
        else if (first !== undefined)
          expected.push([line, 'skipped', `duplicate of line ${first} in this file`]);
        else {
          firstLine.set(norm, line);
          if (known.includes(norm))
            expected.push([
              line,
              'skipped',
              'email already exists in the workspace (policy: skip)',
            ]);
          else created++;
        }
      }
      const start = await uploadCsv(api, '/api/v1/leads/import', lines.join('\n') + '\n');
      expect(start.status).toBe(202);
      const job = await waitForImport(t.api, start.body.data.id);
      const rejected = expected.filter((e) => e[1] === 'rejected').length;
      expect(job.result).toEqual({
        created,
        updated: 0,
        skipped: expected.length - rejected,
        rejected,
      });
      expect(job.progress.rowsDone).toBe(1500);
      const csv = await t.api.get(`/api/v1/leads/imports/${job.id}/rejections.csv`);
      const issues = parse(csv.text, { columns: true }) as Record<string, string>[];
      expect(issues.map((r) => [Number(r.line), r.outcome, r.reason])).toEqual(expected);
      // The lead holds its first valid line's values (line 9, i = 7, is a rejected row).
      for (const [email, name] of [
        ['s7@streams.test', 'F308'],
        ['s8@streams.test', 'F8'],
        ['s300@streams.test', 'F300'],
      ]) {
        const lead = (await t.api.get(`/api/v1/leads?search=${email}`)).body.data.find(
          (l: any) => l.email.toLowerCase() === email,
        );
        expect(lead.contact.firstName).toBe(name);
      }
      const all = await t.api.get('/api/v1/leads?search=@streams.test&limit=1');
      expect(all.body.pagination.total).toBe(created + known.length);
      // It did run as several streams (the suite's own worker would use the default, 2),
      // and every stream's resume point reached the last line.
      const parts = testSql(
        `SELECT array_to_string(part_lines_done, ',') FROM leads.import_jobs WHERE id = '${job.id}'`,
      ).split(',');
      expect(parts.length).toBeGreaterThanOrEqual(2);
      expect(new Set(parts)).toEqual(new Set(['1501']));
    } finally {
      await Promise.all([stopProcess(worker), stopProcess(gateway)]);
    }
  });

  it('merges the GIN pending lists and analyses the table after an import that wrote LEADS_IMPORT_INDEX_CLEANUP_ROWS leads', async () => {
    // Rows written with fastupdate wait in a pending list that every search scans whole; a big
    // import merges it when it is done instead of leaving that (and fresh statistics) to
    // autovacuum.
    const pending = pendingPages;
    const csv = (from: number, n: number) =>
      'Email,First Name,Company,Favourite Colour\n' +
      Array.from(
        { length: n },
        (_, i) => `gin${from + i}@upkeep.test,Gin${from + i},Upkeep Co,teal`,
      ).join('\n') +
      '\n';
    const {
      leads: worker,
      gateway,
      api,
    } = await ownLeadsStack(t.key, { LEADS_IMPORT_INDEX_CLEANUP_ROWS: '200' }, {}, '-upkeep');
    try {
      // Below the threshold: the new words stay in the pending lists.
      const small = await uploadCsv(api, '/api/v1/leads/import', csv(0, 150));
      expect((await waitForImport(api, small.body.data.id)).result.created).toBe(150);
      expect(pending('leads_search_names')).toBeGreaterThan(0);
      expect(pending('leads_custom_fields')).toBeGreaterThan(0);
      // At the threshold: merged, and the table analysed (after the job completes, so poll).
      const analysed = () =>
        testSql(
          `SELECT coalesce(extract(epoch FROM last_analyze), 0) FROM pg_stat_user_tables
            WHERE relid = 'leads.leads'::regclass`,
        );
      const analysedBefore = analysed();
      const big = await uploadCsv(api, '/api/v1/leads/import', csv(150, 250));
      expect((await waitForImport(api, big.body.data.id)).result.created).toBe(250);
      const deadline = Date.now() + 15_000;
      const state = () => [
        pending('leads_search_names'),
        pending('leads_custom_fields'),
        analysed() !== analysedBefore,
      ];
      while (JSON.stringify(state()) !== JSON.stringify([0, 0, true])) {
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(state()).toEqual([0, 0, true]);
      // And the merged index answers as before.
      const found = await api.get('/api/v1/leads?search=gin399&limit=5');
      expect(found.body.data.map((l: any) => l.email)).toEqual(['gin399@upkeep.test']);
      const byWord = await api.get('/api/v1/leads?search=upkeep%20co&limit=1');
      expect(byWord.body.pagination.total).toBe(400);
    } finally {
      await Promise.all([stopProcess(worker), stopProcess(gateway)]);
    }
  });

  it('merges the pending lists once LEADS_INDEX_MERGE_ROWS leads came in by imports and captures', async () => {
    // The lists may grow to 1 GB so that no writer merges them mid-import; between imports the
    // service's periodic upkeep keeps them short. Autovacuum, which merges them too, is off
    // for the table meanwhile, so only the upkeep can empty them here (that it waits for the
    // mark is the unit test's: the table's statistics arrive too late to time it here).
    const pending = () => pendingPages('leads_search_names');
    testSql('ALTER TABLE leads.leads SET (autovacuum_enabled = false)');
    const {
      leads: worker,
      gateway,
      api,
    } = await ownLeadsStack(
      t.key,
      {
        LEADS_INDEX_UPKEEP_MS: '200',
        LEADS_INDEX_MERGE_ROWS: '100',
        // The import's own upkeep stays out of it.
        LEADS_IMPORT_INDEX_CLEANUP_ROWS: '100000',
      },
      {},
      '-periodic',
    );
    try {
      const csv =
        'Email,First Name,Company\n' +
        Array.from({ length: 60 }, (_, i) => `per${i}@periodic.test,Per${i},Periodic Co`).join(
          '\n',
        ) +
        '\n';
      const job = await uploadCsv(api, '/api/v1/leads/import', csv);
      expect((await waitForImport(api, job.body.data.id)).result.created).toBe(60);
      for (let i = 0; i < 45; i++) {
        const res = await api.post('/api/v1/leads', {
          contact: { email: `cap${i}@periodic.test`, firstName: `Cap${i}`, company: 'Periodic Co' },
        });
        expect(res.status).toBe(201);
      }
      // The statistics reach the table's counters within ~10 s of the writes.
      const deadline = Date.now() + 30_000;
      while (pending() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(pending()).toBe(0);
      const found = await api.get('/api/v1/leads?search=periodic%20co&limit=1');
      expect(found.body.pagination.total).toBe(105);
    } finally {
      testSql('ALTER TABLE leads.leads RESET (autovacuum_enabled)');
      await Promise.all([stopProcess(worker), stopProcess(gateway)]);
    }
  });

  it('recreates the staging table after a first batch on a connection rolled back', async () => {
    // The temporary table is created inside a batch's transaction, so a rollback drops it;
    // a pooled connection must not believe it still has one (it used to fail every later
    // batch with "relation does not exist"). One connection, so both batches share it.
    const ds = new DataSource({
      type: 'postgres',
      url: `postgres://postgres@127.0.0.1:5432/${TEST_DB}`,
      extra: { max: 1 },
    });
    await ds.initialize();
    try {
      const pid = async (m: EntityManager) =>
        ((await m.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0].pid;
      const staged = async (m: EntityManager) =>
        (
          (await m.query(`SELECT to_regclass('pg_temp.import_stage') IS NOT NULL AS s`)) as {
            s: boolean;
          }[]
        )[0].s;
      let firstPid = 0;
      await expect(
        ds.transaction(async (m) => {
          firstPid = await pid(m);
          await ensureStage(m);
          expect(await staged(m)).toBe(true);
          throw new Error('batch failed');
        }),
      ).rejects.toThrow('batch failed');
      const parsed = parseRow(['stage@imp.test', 'Stan'], ['email', 'firstName'], 2);
      if (!parsed.ok) throw new Error(parsed.reason);
      const stage = new StageBuffer({
        id: '22222222-2222-4222-8222-222222222222',
        tenant_id: '33333333-3333-4333-8333-333333333333',
        workspace_id: '11111111-1111-4111-8111-111111111111',
        campaign_id: null,
        source: 'import',
      });
      stage.add(parsed.row, 'stage@imp.test,Stan');
      const rows = await ds.transaction(async (m) => {
        expect(await pid(m)).toBe(firstPid);
        expect(await staged(m)).toBe(false);
        await ensureStage(m);
        await copyFromStdin(m, 'COPY pg_temp.import_stage FROM STDIN', stage.finishStaged());
        return m.query(`SELECT email_normalized, first_name FROM pg_temp.import_stage`);
      });
      expect(rows).toEqual([{ email_normalized: 'stage@imp.test', first_name: 'Stan' }]);
    } finally {
      await ds.destroy();
    }
  });

  describe('limits', () => {
    // A second gateway and leads service with tiny limits, beside the suite's own stack.
    let procs: ChildProcess[] = [];
    let small: Api;

    beforeAll(async () => {
      const own = await ownLeadsStack(
        t.key,
        { LEADS_IMPORT_MAX_ROWS: '3', LEADS_IMPORT_POLL_MS: '60000' },
        { LEADS_IMPORT_MAX_BYTES: '2048' },
        '-limits',
      );
      procs = [own.leads, own.gateway];
      small = own.api;
    });
    afterAll(async () => {
      await Promise.all(procs.map((p) => stopProcess(p)));
    });

    it('answers 413 for a file over LEADS_IMPORT_MAX_BYTES', async () => {
      const big = 'email\n' + Array.from({ length: 200 }, (_, i) => `big${i}@imp.test`).join('\n');
      const res = await uploadCsv(small, '/api/v1/leads/import', big);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers 400 for more rows than LEADS_IMPORT_MAX_ROWS', async () => {
      const res = await uploadCsv(
        small,
        '/api/v1/leads/import',
        'email\na@x.io\nb@x.io\nc@x.io\nd@x.io\n',
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('IMPORT_TOO_MANY_ROWS');
      const ok = await uploadCsv(small, '/api/v1/leads/import', 'email\na@x.io\nb@x.io\nc@x.io\n');
      expect(ok.status).toBe(202);
      expect((await waitForImport(small, ok.body.data.id)).result.created).toBe(3);
    });
  });
});
