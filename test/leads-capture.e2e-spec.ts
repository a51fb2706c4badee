import { createTenant, KafkaCollector, TestTenant } from '@app/testing';
import { createCampaign } from './fixtures';
import { uploadCsv, waitForImport } from './leads-fixtures';

const seedLead = (email: string, extra: Record<string, unknown> = {}) => ({
  source: 'website_form',
  contact: {
    email,
    firstName: 'John',
    lastName: 'Doe',
    company: 'Tech Corp',
    phone: '+1-555-0123',
    title: 'Marketing Director',
  },
  qualification: {
    leadScore: 85,
    interestLevel: 'high',
    budgetRange: '25000-50000',
    timeline: '1-3_months',
  },
  tracking: { utmSource: 'google_ads', utmMedium: 'cpc', utmCampaign: 'q1_product_launch' },
  ...extra,
});

// The e2e project's testTimeout is not applied per project; these talk to a real stack.
jest.setTimeout(60_000);

describe('leads: capture, merge, list, pipeline', () => {
  let t: TestTenant;
  const collector = new KafkaCollector(['test.lead.events']);

  beforeAll(async () => {
    await collector.start();
    t = await createTenant('leads-capture');
  });
  afterAll(() => collector.stop());

  it('captures a lead in the seed shape and says what happens next', async () => {
    const res = await t.api.post('/api/v1/leads', seedLead('John.Doe@Company.com'));
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      status: 'captured',
      merged: false,
      mergedFields: [],
      crmSync: { status: 'not_configured' },
      // No consent in the seed shape: recorded as unknown, and worth collecting.
      nextActions: ['collect_consent', 'assign_to_sales_rep', 'schedule_follow_up'],
    });
    const lead = res.body.data.lead;
    expect(lead).toMatchObject({
      id: res.body.data.leadId,
      email: 'John.Doe@Company.com',
      source: 'website_form',
      status: 'new',
      contact: { firstName: 'John', company: 'Tech Corp', title: 'Marketing Director' },
      qualification: { leadScore: 85, interestLevel: 'high', budgetRange: '25000-50000' },
      tracking: { utmSource: 'google_ads', utmMedium: 'cpc' },
      consent: { email: null },
      suppression: null,
    });
    // A time-ordered id (UUIDv7) of about now: audiences and exports walk leads in id order.
    expect(lead.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const ms = parseInt(lead.id.replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(Date.now() - ms)).toBeLessThan(60_000);
    const event = await collector.waitFor(
      (e) => e.value.type === 'lead.captured' && e.value.leadId === lead.id,
    );
    expect(event.key).toBe(lead.id);
    expect(event.value.campaignId).toBeUndefined();
    expect(event.value.data).toMatchObject({
      leadId: lead.id,
      source: 'website_form',
      merged: false,
      contact: { email: 'John.Doe@Company.com', firstName: 'John', consent: null },
    });
  });

  it('merges a second capture of the same email (any case, spaces) into one lead', async () => {
    const first = await t.api.post('/api/v1/leads', seedLead('merge@example.com'));
    const again = await t.api.post(
      '/api/v1/leads',
      seedLead('  MERGE@example.COM ', {
        source: 'trade_show',
        contact: { email: '  MERGE@example.COM ', firstName: 'Johnny', company: 'Tech Corp' },
        customFields: { referralCode: 'SUMMER2024' },
      }),
    );
    expect(again.status).toBe(201);
    expect(again.body.data).toMatchObject({
      leadId: first.body.data.leadId,
      status: 'merged',
      merged: true,
      mergedFields: ['firstName', 'customFields'],
    });
    // First-touch attribution stays; new details are merged in.
    expect(again.body.data.lead).toMatchObject({
      source: 'website_form',
      contact: { firstName: 'Johnny', lastName: 'Doe' },
      customFields: { referralCode: 'SUMMER2024' },
    });
    const list = await t.api.get('/api/v1/leads?search=merge@example');
    expect(list.body.pagination.total).toBe(1);
  });

  it('rejects an invalid capture naming the fields', async () => {
    const res = await t.api.post('/api/v1/leads', {
      contact: { email: 'not-an-email' },
      qualification: { leadScore: 101 },
      shoeSize: 44,
    });
    expect(res.status).toBe(400);
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining(['contact.email', 'qualification.leadScore', 'shoeSize']),
    );
    // No contact at all is a 400 naming it, not a crash of the leads service.
    const bare = await t.api.post('/api/v1/leads', { source: 'website' });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details.map((d: { field: string }) => d.field)).toContain('contact');
  });

  it('filters, searches, sorts and pages the list', async () => {
    const u = await createTenant('leads-list');
    const mk = (email: string, score: number, source: string, company: string, extra = {}) =>
      u.api.post('/api/v1/leads', {
        source,
        contact: { email, firstName: email.split('@')[0], lastName: 'Smith', company },
        qualification: { leadScore: score },
        ...extra,
      });
    await mk('ann@acme.io', 10, 'import', 'Acme');
    await mk('bob@beta.io', 50, 'website_form', 'Beta Labs', {
      customFields: { tier: 'gold', seats: 5 },
    });
    await mk('cid@gamma.io', 90, 'website_form', 'Gamma', { customFields: { tier: 'silver' } });
    const emails = async (q: string) =>
      (await u.api.get(`/api/v1/leads?${q}`)).body.data.map((l: { email: string }) => l.email);
    expect(await emails('sort=leadScore')).toEqual(['ann@acme.io', 'bob@beta.io', 'cid@gamma.io']);
    expect(await emails('sort=-leadScore&source=website_form')).toEqual([
      'cid@gamma.io',
      'bob@beta.io',
    ]);
    expect(await emails('minScore=40&maxScore=60')).toEqual(['bob@beta.io']);
    expect(await emails('search=beta%20labs')).toEqual(['bob@beta.io']);
    expect(await emails('search=ANN')).toEqual(['ann@acme.io']);
    // Words match by prefix, in any field and in any order; inside a word nothing matches.
    expect(await emails('search=smi%20gam')).toEqual(['cid@gamma.io']);
    expect(await emails('search=lab%20BET')).toEqual(['bob@beta.io']);
    expect(await emails('search=gamma.io')).toEqual(['cid@gamma.io']);
    expect(await emails('search=ann%40acme.io')).toEqual(['ann@acme.io']);
    expect(await emails('search=mith')).toEqual([]);
    expect(await emails('search=%21%40%23')).toEqual([]);
    expect(await emails('search=smith&sort=email')).toEqual([
      'ann@acme.io',
      'bob@beta.io',
      'cid@gamma.io',
    ]);
    expect(await emails('customField=tier:gold')).toEqual(['bob@beta.io']);
    expect(await emails('customField=seats:5')).toEqual(['bob@beta.io']);
    expect(await emails('createdFrom=2000-01-01T00:00:00Z&createdTo=2001-01-01T00:00:00Z')).toEqual(
      [],
    );
    const page = await u.api.get('/api/v1/leads?sort=email&limit=2&page=2');
    expect(page.body.data.map((l: { email: string }) => l.email)).toEqual(['cid@gamma.io']);
    expect(page.body.pagination).toMatchObject({
      total: 3,
      page: 2,
      limit: 2,
      pages: 2,
      hasMore: false,
    });
    expect((await u.api.get('/api/v1/leads?sort=password')).status).toBe(400);

    // The address is matched from its start (its own index), across the @ and in any case; a
    // local part made of parts also gives its parts as words; nothing matches inside a part.
    await u.api.post('/api/v1/leads', {
      contact: { email: 'sales-7.team@zeta.io', firstName: 'Zoe', lastName: 'Quinn' },
    });
    expect(await emails('search=sales-7')).toEqual(['sales-7.team@zeta.io']);
    expect(await emails('search=SALES-7.TEAM%40ze')).toEqual(['sales-7.team@zeta.io']);
    expect(await emails('search=zeta')).toEqual(['sales-7.team@zeta.io']);
    expect(await emails('search=zoe%20zeta.io')).toEqual(['sales-7.team@zeta.io']);
    expect(await emails('search=team%20zoe')).toEqual(['sales-7.team@zeta.io']);
    expect(await emails('search=eam')).toEqual([]);
    expect(await emails('search=ales-7')).toEqual([]);
  });

  it('moves through the pipeline, refuses illegal moves and keeps the history', async () => {
    const { leadId } = (await t.api.post('/api/v1/leads', seedLead('pipe@example.com'))).body.data;
    const qualified = await t.api.patch(`/api/v1/leads/${leadId}`, {
      status: 'qualified',
      salesStage: 'discovery_call_scheduled',
      salesRep: 'rep_789',
      notes: 'High-value prospect, interested in enterprise features',
      followUpDate: '2025-01-25T14:00:00Z',
      statusNote: 'intro call went well',
    });
    expect(qualified.status).toBe(200);
    expect(qualified.body.data).toMatchObject({
      status: 'qualified',
      salesStage: 'discovery_call_scheduled',
      salesRep: 'rep_789',
      followUpDate: '2025-01-25T14:00:00.000Z',
    });
    const illegal = await t.api.patch(`/api/v1/leads/${leadId}`, { status: 'new' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.error.code).toBe('INVALID_STATUS_TRANSITION');
    expect(illegal.body.message).toBe(
      'Cannot move a lead from qualified to new (from qualified it can go to: proposal, nurturing, lost)',
    );
    expect((await t.api.put(`/api/v1/leads/${leadId}`, { status: 'proposal' })).status).toBe(200);
    expect((await t.api.patch(`/api/v1/leads/${leadId}`, { status: 'won' })).status).toBe(200);
    const final = await t.api.patch(`/api/v1/leads/${leadId}`, { status: 'lost' });
    expect(final.status).toBe(409);
    expect(final.body.message).toMatch(/won is final/);

    const history = await t.api.get(`/api/v1/leads/${leadId}/history`);
    expect(history.body.data.map((h: { from: string; to: string }) => [h.from, h.to])).toEqual([
      [null, 'new'],
      ['new', 'qualified'],
      ['qualified', 'proposal'],
      ['proposal', 'won'],
    ]);
    expect(history.body.data[1]).toMatchObject({
      salesStage: 'discovery_call_scheduled',
      note: 'intro call went well',
    });
    const moved = await collector.waitFor(
      (e) =>
        e.value.type === 'lead.status_changed' &&
        e.value.leadId === leadId &&
        e.value.data.to === 'won',
    );
    expect(moved.key).toBe(leadId);
    expect(moved.value.data).toMatchObject({ from: 'proposal', to: 'won', salesRep: 'rep_789' });
  });

  it('updates contact fields, emits lead.updated and refuses a taken email', async () => {
    const a = (await t.api.post('/api/v1/leads', seedLead('upd-a@example.com'))).body.data.leadId;
    await t.api.post('/api/v1/leads', seedLead('upd-b@example.com'));
    const res = await t.api.patch(`/api/v1/leads/${a}`, {
      contact: { lastName: 'Dough', email: 'upd-a2@example.com' },
      customFields: { tier: 'gold' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      email: 'upd-a2@example.com',
      contact: { lastName: 'Dough' },
    });
    const updated = await collector.waitFor(
      (e) => e.value.type === 'lead.updated' && e.value.leadId === a,
    );
    expect(updated.value.data.changed).toEqual(['lastName', 'email', 'customFields']);
    expect(updated.value.data.contact).toMatchObject({
      email: 'upd-a2@example.com',
      lastName: 'Dough',
    });
    const taken = await t.api.patch(`/api/v1/leads/${a}`, {
      contact: { email: 'UPD-B@example.com' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('LEAD_EMAIL_TAKEN');
  });

  it('serves per-campaign lead routes after checking the campaign', async () => {
    const campaign = await createCampaign(t.api, { name: 'Leads campaign' });
    const base = `/api/v1/campaigns/${campaign.id}/leads`;
    const created = await t.api.post(base, seedLead('camp@example.com'));
    expect(created.status).toBe(201);
    const leadId = created.body.data.leadId;
    expect(created.body.data.lead.campaignId).toBe(campaign.id);
    expect(created.body.data.nextActions).toContain('trigger_nurture_sequence');
    await t.api.post('/api/v1/leads', seedLead('other@example.com'));
    const list = await t.api.get(`${base}?status=new&search=camp`);
    expect(list.body.data.map((l: { id: string }) => l.id)).toEqual([leadId]);
    const put = await t.api.put(`${base}/${leadId}`, {
      status: 'contacted',
      notes: 'Follow up scheduled',
    });
    expect(put.body.data).toMatchObject({ status: 'contacted', notes: 'Follow up scheduled' });
    const other = (await t.api.get('/api/v1/leads?search=other@')).body.data[0].id;
    expect((await t.api.patch(`${base}/${other}`, { notes: 'x' })).status).toBe(404);
    expect(
      (await t.api.get('/api/v1/campaigns/11111111-1111-4111-8111-111111111111/leads')).status,
    ).toBe(404);
    const del = await t.api.delete(`${base}/${leadId}`);
    expect(del.status).toBe(200);
    expect((await t.api.get(`/api/v1/leads/${leadId}`)).status).toBe(404);
  });

  it('a known lead captured or imported for another campaign is listed under both, attributed to the first', async () => {
    const [first, second, third] = await Promise.all(
      ['First touch', 'Second touch', 'Imported into'].map((name) =>
        createCampaign(t.api, { name }),
      ),
    );
    const leadsOf = async (c: { id: string }) =>
      (await t.api.get(`/api/v1/campaigns/${c.id}/leads`)).body.data.map(
        (l: { email: string }) => l.email,
      );
    const captured = await t.api.post(
      `/api/v1/campaigns/${first.id}/leads`,
      seedLead('both@example.com'),
    );
    const leadId = captured.body.data.leadId;
    const again = await t.api.post(
      `/api/v1/campaigns/${second.id}/leads`,
      seedLead('Both@Example.com'),
    );
    expect(again.body.data).toMatchObject({ status: 'merged', leadId });
    expect(again.body.data.lead.campaignId).toBe(first.id);
    expect(await leadsOf(first)).toEqual(['both@example.com']);
    expect(await leadsOf(second)).toEqual(['both@example.com']);
    // Readable and editable under the second campaign, and by the campaignId filter.
    const underSecond = await t.api.patch(`/api/v1/campaigns/${second.id}/leads/${leadId}`, {
      notes: 'seen twice',
    });
    expect(underSecond.status).toBe(200);
    const filtered = await t.api.get(`/api/v1/leads?campaignId=${second.id}`);
    expect(filtered.body.data.map((l: { id: string }) => l.id)).toEqual([leadId]);
    // An import for a third campaign (the address skipped as known) adds it there too.
    const start = await uploadCsv(
      t.api,
      `/api/v1/campaigns/${third.id}/leads/import`,
      'email,first_name\nboth@example.com,Bo\nnew-in-third@example.com,Ny\n',
    );
    expect(start.status).toBe(202);
    const job = await waitForImport(t.api, start.body.data.id);
    expect(job.result).toMatchObject({ created: 1, skipped: 1 });
    expect((await leadsOf(third)).sort()).toEqual(['both@example.com', 'new-in-third@example.com']);
    expect(await leadsOf(first)).toEqual(['both@example.com']);
    // Deleting the lead removes it from every campaign.
    expect((await t.api.delete(`/api/v1/campaigns/${second.id}/leads/${leadId}`)).status).toBe(200);
    for (const c of [first, second]) expect(await leadsOf(c)).toEqual([]);
  });
});
