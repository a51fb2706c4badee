import { createTenant, TestTenant } from '@app/testing';
import { parse } from 'csv-parse/sync';
import { createCampaign } from './fixtures';
import { uploadCsv, waitForImport } from './leads-fixtures';

const PAYLOADS = [
  '=HYPERLINK("http://evil.test","click")',
  '+1+cmd|/C calc',
  '-2+3',
  '@SUM(A1:A2)',
  '\tTAB',
  '\rCR',
];

// The e2e project's testTimeout is not applied per project; these talk to a real stack.
jest.setTimeout(60_000);

describe('leads: CSV export', () => {
  let t: TestTenant;

  beforeAll(async () => {
    t = await createTenant('export');
  });

  it('streams every lead with formula-like cells neutralised and the rest intact', async () => {
    for (const [i, payload] of PAYLOADS.entries()) {
      const res = await t.api.post('/api/v1/leads', {
        contact: {
          email: `evil${i}@exp.test`,
          firstName: payload,
          company: 'Quotes "and", commas',
        },
        customFields: { note: payload },
      });
      expect(res.status).toBe(201);
    }
    const res = await t.api.get('/api/v1/leads/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="leads.csv"');
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(PAYLOADS.length);
    const byEmail = Object.fromEntries(rows.map((r) => [r.email, r]));
    PAYLOADS.forEach((payload, i) => {
      const row = byEmail[`evil${i}@exp.test`];
      expect(row.firstName).toBe(`'${payload}`);
      expect(row.company).toBe('Quotes "and", commas');
      expect(JSON.parse(row.customFields)).toEqual({ note: payload });
    });
    // No cell of the file starts with a formula character.
    for (const row of rows)
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('writes exactly the bytes of the documented format: neutralised, RFC 4180, CRLF', async () => {
    const u = await createTenant('export-bytes');
    const created = await u.api.post('/api/v1/leads', {
      contact: {
        email: 'bytes@exp.test',
        firstName: '-Ann',
        lastName: 'O"Neil, Jr',
        company: '=cmd',
        phone: '+1 555 0100',
        title: '@lead',
      },
      qualification: { leadScore: 0, interestLevel: 'high' },
      tracking: { utmSource: 'news,letter' },
      customFields: { note: '=x', n: -5 },
      timezone: 'Europe/Paris',
      consent: { email: false },
    });
    expect(created.status).toBe(201);
    const id = created.body.data.leadId;
    expect(
      (await u.api.patch(`/api/v1/leads/${id}`, { notes: 'two\nlines é', salesRep: '\tRep' }))
        .status,
    ).toBe(200);
    const lead = (await u.api.get(`/api/v1/leads/${id}`)).body.data;
    const res = await u.api.get('/api/v1/leads/export');
    expect(res.text).toBe(
      'id,email,firstName,lastName,company,phone,title,companySize,industry,country,source,' +
        'campaignId,status,salesStage,salesRep,leadScore,engagementScore,interestLevel,' +
        'budgetRange,timeline,utmSource,utmMedium,utmCampaign,timezone,consent,notes,' +
        'followUpDate,customFields,createdAt,updatedAt\r\n' +
        `${id},bytes@exp.test,'-Ann,"O""Neil, Jr",'=cmd,'+1 555 0100,'@lead,,,,${lead.source},` +
        `,${lead.status},${lead.salesStage ?? ''},'\tRep,0,${lead.engagementScore ?? ''},high,` +
        `,,"news,letter",,,Europe/Paris,false,"two\nlines é",,` +
        `"{""n"": -5, ""note"": ""=x""}",${lead.createdAt},${lead.updatedAt}\r\n`,
    );
    // Filter values reach COPY as quoted literals: quotes, backslashes and % are data.
    const count = async (query: string) =>
      (await u.api.get(`/api/v1/leads/export?${query}`)).text.trim().split('\r\n').length - 1;
    const search = (term: string) => count(`search=${encodeURIComponent(term)}`);
    expect(await search('o"neil, j')).toBe(1);
    // Quotes split words like any punctuation: o'neil is the words o and neil.
    expect(await search("o'neil")).toBe(1);
    expect(await search("o'neiL jr'")).toBe(1);
    expect(await search("o'nell")).toBe(0);
    expect(await search('%\\_')).toBe(0);
    expect(await search('\\ann')).toBe(1);
    expect(await search('ann o')).toBe(1);
    // A jsonb[] parameter (custom field as text or number) survives the quoting too.
    expect(await count('customField=n:-5')).toBe(1);
    expect(await count(`customField=${encodeURIComponent('note:=x')}`)).toBe(1);
    expect(await count(`customField=${encodeURIComponent('note:"=x')}`)).toBe(0);
    expect(await count('customField=n:5&minScore=0&maxScore=0')).toBe(0);
    expect(await count(`minScore=0&maxScore=0&source=${lead.source}&status=new`)).toBe(1);
  });

  it('applies the list filters and walks past a page boundary', async () => {
    const u = await createTenant('export-many');
    const csv =
      'email,status,company\n' +
      Array.from(
        { length: 12050 },
        (_, i) => `p${i}@many.test,${i % 3 ? 'new' : 'contacted'},Co ${i}`,
      ).join('\n');
    const job = await waitForImport(
      u.api,
      (await uploadCsv(u.api, '/api/v1/leads/import', csv)).body.data.id,
    );
    expect(job.result.created).toBe(12050);
    const all = parse((await u.api.get('/api/v1/leads/export')).text, { columns: true }) as Record<
      string,
      string
    >[];
    expect(all).toHaveLength(12050);
    expect(new Set(all.map((r) => r.id)).size).toBe(12050);
    const contacted = parse((await u.api.get('/api/v1/leads/export?status=contacted')).text, {
      columns: true,
    });
    expect(contacted).toHaveLength(4017);
    const search = parse((await u.api.get('/api/v1/leads/export?search=p1204')).text, {
      columns: true,
    }) as Record<string, string>[];
    expect(search.map((r) => r.email).sort()).toEqual(
      ['p1204@many.test', ...Array.from({ length: 10 }, (_, i) => `p1204${i}@many.test`)].sort(),
    );
    expect((await u.api.get('/api/v1/leads/export?status=bogus')).status).toBe(400);
  });

  it('exports one campaign’s leads, with status and search filters', async () => {
    const campaign = await createCampaign(t.api, { name: 'Export campaign' });
    const base = `/api/v1/campaigns/${campaign.id}/leads`;
    await t.api.post(base, { contact: { email: 'c1@exp.test', firstName: 'John' } });
    const c2 = (await t.api.post(base, { contact: { email: 'c2@exp.test', firstName: 'Jane' } }))
      .body.data.leadId;
    await t.api.patch(`${base}/${c2}`, { status: 'contacted' });
    const all = parse((await t.api.get(`${base}/export`)).text, { columns: true }) as Record<
      string,
      string
    >[];
    expect(all.map((r) => r.email).sort()).toEqual(['c1@exp.test', 'c2@exp.test']);
    expect(all[0].campaignId).toBe(campaign.id);
    const filtered = parse((await t.api.get(`${base}/export?status=contacted&search=jane`)).text, {
      columns: true,
    }) as Record<string, string>[];
    expect(filtered.map((r) => r.email)).toEqual(['c2@exp.test']);
    const missing = await t.api.get(
      '/api/v1/campaigns/11111111-1111-4111-8111-111111111111/leads/export',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.success).toBe(false);
  });
});
