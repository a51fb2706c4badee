import { createTenant, TestTenant } from '@app/testing';
import { createCampaign } from './fixtures';
import { uploadCsv, waitForImport } from './leads-fixtures';

/** Every leads route, called by tenant B with tenant A's ids, must answer exactly like a missing id. */
// The e2e project's testTimeout is not applied per project; these talk to a real stack.
jest.setTimeout(60_000);

describe('leads: tenant isolation', () => {
  let a: TestTenant;
  let b: TestTenant;
  let leadId: string;
  let segmentId: string;
  let staticId: string;
  let jobId: string;
  let campaignId: string;
  let campaignLeadId: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTenant('liso-a'), createTenant('liso-b')]);
    leadId = (
      await a.api.post('/api/v1/leads', {
        contact: { email: 'secret@a.test', firstName: 'Secret' },
      })
    ).body.data.leadId;
    segmentId = (
      await a.api.post('/api/v1/segments', {
        name: 'Secret seg',
        rules: { field: 'country', operator: 'eq', value: 'US' },
      })
    ).body.data.id;
    staticId = (
      await a.api.post('/api/v1/segments', {
        name: 'Secret static',
        type: 'static',
        leadIds: [leadId],
      })
    ).body.data.id;
    jobId = (await uploadCsv(a.api, '/api/v1/leads/import', 'email\nbad-row\n')).body.data.id;
    await waitForImport(a.api, jobId);
    campaignId = (await createCampaign(a.api, { name: 'Secret campaign' })).id;
    campaignLeadId = (
      await a.api.post(`/api/v1/campaigns/${campaignId}/leads`, {
        contact: { email: 'camp-secret@a.test' },
      })
    ).body.data.leadId;
  });

  const routes = (): Array<[string, string, object?]> => [
    ['GET', `/api/v1/leads/${leadId}`],
    ['PATCH', `/api/v1/leads/${leadId}`, { notes: 'pwned' }],
    ['PUT', `/api/v1/leads/${leadId}`, { notes: 'pwned' }],
    ['GET', `/api/v1/leads/${leadId}/history`],
    ['POST', `/api/v1/leads/${leadId}/erase`, {}],
    ['DELETE', `/api/v1/leads/${leadId}?erase=true`],
    ['DELETE', `/api/v1/leads/${leadId}`],
    ['GET', `/api/v1/leads/imports/${jobId}`],
    ['GET', `/api/v1/leads/imports/${jobId}/rejections`],
    ['GET', `/api/v1/leads/imports/${jobId}/rejections.csv`],
    ['GET', `/api/v1/segments/${segmentId}`],
    ['PATCH', `/api/v1/segments/${segmentId}`, { name: 'pwned' }],
    ['GET', `/api/v1/segments/${segmentId}/count`],
    ['GET', `/api/v1/segments/${segmentId}/sample`],
    ['POST', `/api/v1/segments/${staticId}/members`, { leadIds: [leadId] }],
    ['DELETE', `/api/v1/segments/${staticId}/members/${leadId}`],
    ['DELETE', `/api/v1/segments/${segmentId}`],
    ['GET', `/api/v1/campaigns/${campaignId}/leads`],
    ['POST', `/api/v1/campaigns/${campaignId}/leads`, { contact: { email: 'x@b.test' } }],
    ['GET', `/api/v1/campaigns/${campaignId}/leads/export`],
    ['GET', `/api/v1/campaigns/${campaignId}/leads/${campaignLeadId}`],
    ['PATCH', `/api/v1/campaigns/${campaignId}/leads/${campaignLeadId}`, { notes: 'pwned' }],
    ['PUT', `/api/v1/campaigns/${campaignId}/leads/${campaignLeadId}`, { notes: 'pwned' }],
    ['DELETE', `/api/v1/campaigns/${campaignId}/leads/${campaignLeadId}`],
    ['DELETE', '/api/v1/suppressions/secret@a.test'],
  ];

  it('answers 404 on every route for another tenant’s ids and changes nothing', async () => {
    await a.api.post('/api/v1/suppressions', { email: 'secret@a.test', reason: 'manual' });
    for (const [method, path, body] of routes()) {
      const res = await b.api.request(method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(res.text).not.toContain('Secret');
    }
    const attributed = await b.api.post('/api/v1/leads', {
      campaignId,
      contact: { email: 'x@b.test' },
    });
    expect(attributed.status).toBe(404);
    const upload = await uploadCsv(
      b.api,
      `/api/v1/campaigns/${campaignId}/leads/import`,
      'email\nx@b.test\n',
    );
    expect(upload.status).toBe(404);

    const lead = await a.api.get(`/api/v1/leads/${leadId}`);
    expect(lead.body.data).toMatchObject({
      notes: null,
      contact: { firstName: 'Secret' },
      suppression: { reason: 'manual' },
    });
    expect((await a.api.get(`/api/v1/segments/${segmentId}`)).body.data.name).toBe('Secret seg');
    expect((await a.api.get(`/api/v1/segments/${staticId}`)).body.data.memberCount).toBe(1);
    expect(
      (await a.api.get(`/api/v1/campaigns/${campaignId}/leads/${campaignLeadId}`)).status,
    ).toBe(200);
  });

  it('lists and exports only the caller’s own data', async () => {
    for (const path of [
      '/api/v1/leads',
      '/api/v1/segments',
      '/api/v1/suppressions',
      '/api/v1/leads/imports',
    ]) {
      const res = await b.api.get(path);
      expect([path, res.body.pagination.total]).toEqual([path, 0]);
    }
    const exported = await b.api.get('/api/v1/leads/export');
    expect(exported.text.trim().split('\n')).toHaveLength(1);
    expect((await a.api.get('/api/v1/leads?search=secret')).body.pagination.total).toBe(2);
  });

  it('answers a foreign id exactly like a missing one', async () => {
    const foreign = await b.api.get(`/api/v1/leads/${leadId}`);
    const missing = await b.api.get('/api/v1/leads/11111111-1111-4111-8111-111111111111');
    expect(foreign.body.error.code).toBe(missing.body.error.code);
    expect(foreign.body.message.replace(leadId, 'ID')).toBe(
      missing.body.message.replace('11111111-1111-4111-8111-111111111111', 'ID'),
    );
  });
});
