import { AUDIENCE_COPY_COLUMNS, AudiencePage, LeadsRpc, SendableResponse } from '@app/contracts';
import { createTenant, TestTenant } from '@app/testing';
import { leadsRpc } from './leads-fixtures';

/** Six leads with known attributes; every operator is checked against the set it must select. */
const PEOPLE = [
  {
    name: 'ann',
    company: 'Acme Corp',
    phone: '+1 555 0001',
    profile: { companySize: 100, industry: 'technology', country: 'US' },
    engagementScore: 80,
    customFields: {
      age: 30,
      interests: ['technology', 'golf'],
      totalPurchases: 3,
      lastPurchaseAt: '2024-11-02',
      tier: 'gold',
    },
  },
  {
    name: 'bob',
    company: 'Beta Bank',
    phone: '+1 555 0002',
    profile: { companySize: 1000, industry: 'Finance', country: 'CA' },
    engagementScore: 76,
    customFields: { age: 50, interests: ['shopping'], totalPurchases: 0, tier: 'silver' },
  },
  {
    name: 'cid',
    company: 'Corporate Retail',
    profile: { companySize: 50, industry: 'retail', country: 'DE' },
    engagementScore: 75,
    customFields: { age: 25, interests: 'technology', lastPurchaseAt: '2023-01-10' },
  },
  {
    name: 'dee',
    company: 'Delta',
    phone: '+1 555 0004',
    profile: { companySize: 500, industry: 'technology', country: 'US' },
    engagementScore: 90,
    consent: { email: false },
    customFields: { age: 45 },
  },
  { name: 'eve', customFields: {} },
  {
    name: 'fay',
    company: 'Fay Finance Corp',
    phone: '+1 555 0006',
    profile: { companySize: 200, industry: 'finance', country: 'CA' },
    engagementScore: 99,
    customFields: {},
  },
];

const leaf = (field: string, operator: string, value?: unknown) => ({ field, operator, value });
const SEED_AUDIENCE = {
  combinator: 'and',
  rules: [
    leaf('companySize', 'between', [50, 500]),
    leaf('industry', 'in', ['technology', 'finance']),
    leaf('engagementScore', 'gt', 75),
    leaf('country', 'in', ['US', 'CA']),
  ],
};

// The e2e project's testTimeout is not applied per project; these talk to a real stack.
jest.setTimeout(60_000);

describe('segments: rules against known data, static members, audience contract', () => {
  let t: TestTenant;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTenant('segments');
    for (const p of PEOPLE) {
      const res = await t.api.post('/api/v1/leads', {
        contact: {
          email: `${p.name}@seg.test`,
          firstName: p.name,
          company: p.company,
          phone: p.phone,
        },
        profile: p.profile,
        qualification:
          p.engagementScore === undefined ? undefined : { engagementScore: p.engagementScore },
        consent: p.consent,
        customFields: p.customFields,
      });
      if (res.status !== 201) throw new Error(res.text);
      ids[p.name] = res.body.data.leadId;
    }
    const supp = await t.api.post('/api/v1/suppressions', {
      email: 'fay@seg.test',
      reason: 'manual',
    });
    if (supp.status !== 201) throw new Error(supp.text);
  });

  async function members(rules: unknown): Promise<string[]> {
    const seg = await t.api.post('/api/v1/segments', { name: 'op', rules });
    if (seg.status !== 201) throw new Error(`${seg.status} ${seg.text}`);
    const count = await t.api.get(`/api/v1/segments/${seg.body.data.id}/count`);
    const sample = await t.api.get(`/api/v1/segments/${seg.body.data.id}/sample?limit=100`);
    const names = sample.body.data
      .map((l: { contact: { firstName: string } }) => l.contact.firstName)
      .sort();
    expect(count.body.data.count).toBe(names.length);
    return names;
  }

  it.each([
    ['eq (case-insensitive)', leaf('industry', 'eq', 'TECHNOLOGY'), ['ann', 'dee']],
    ['neq (keeps unknowns)', leaf('industry', 'neq', 'technology'), ['bob', 'cid', 'eve', 'fay']],
    ['in', leaf('country', 'in', ['us', 'CA']), ['ann', 'bob', 'dee', 'fay']],
    ['not_in', leaf('country', 'not_in', ['US']), ['bob', 'cid', 'eve', 'fay']],
    ['contains', leaf('company', 'contains', 'corp'), ['ann', 'cid', 'fay']],
    ['gt', leaf('engagementScore', 'gt', 75), ['ann', 'bob', 'dee', 'fay']],
    ['gte', leaf('engagementScore', 'gte', 80), ['ann', 'dee', 'fay']],
    ['lt', leaf('engagementScore', 'lt', 80), ['bob', 'cid']],
    ['lte', leaf('engagementScore', 'lte', 76), ['bob', 'cid']],
    [
      'between (inclusive)',
      leaf('companySize', 'between', [50, 500]),
      ['ann', 'cid', 'dee', 'fay'],
    ],
    ['exists', leaf('phone', 'exists', true), ['ann', 'bob', 'dee', 'fay']],
    ['exists false', leaf('phone', 'exists', false), ['cid', 'eve']],
    ['custom eq', leaf('customFields.tier', 'eq', 'gold'), ['ann']],
    ['custom neq', leaf('customFields.tier', 'neq', 'gold'), ['bob', 'cid', 'dee', 'eve', 'fay']],
    [
      'custom in (lists and scalars)',
      leaf('customFields.interests', 'in', ['golf', 'shopping']),
      ['ann', 'bob'],
    ],
    [
      'custom not_in',
      leaf('customFields.tier', 'not_in', ['gold', 'silver']),
      ['cid', 'dee', 'eve', 'fay'],
    ],
    ['custom contains', leaf('customFields.interests', 'contains', 'technology'), ['ann', 'cid']],
    [
      'custom between (age 25-45)',
      leaf('customFields.age', 'between', [25, 45]),
      ['ann', 'cid', 'dee'],
    ],
    ['custom gt', leaf('customFields.totalPurchases', 'gt', 0), ['ann']],
    ['custom gte (numbers)', leaf('customFields.totalPurchases', 'gte', 0), ['ann', 'bob']],
    ['custom lt', leaf('customFields.age', 'lt', 30), ['cid']],
    ['custom lte', leaf('customFields.age', 'lte', 30), ['ann', 'cid']],
    ['custom date gte', leaf('customFields.lastPurchaseAt', 'gte', '2024-01-01'), ['ann']],
    ['custom exists', leaf('customFields.lastPurchaseAt', 'exists'), ['ann', 'cid']],
    ['seed audience (nested AND)', SEED_AUDIENCE, ['ann', 'dee', 'fay']],
    [
      'OR group inside AND',
      {
        combinator: 'and',
        rules: [
          leaf('engagementScore', 'gte', 75),
          {
            combinator: 'or',
            rules: [leaf('country', 'eq', 'DE'), leaf('customFields.tier', 'eq', 'silver')],
          },
        ],
      },
      ['bob', 'cid'],
    ],
  ])('%s', async (_name, rules, expected) => {
    expect(await members(rules)).toEqual(expected);
  });

  it('refuses bad rules with a 400 naming the field, operator or type', async () => {
    const bad = async (rules: unknown) => {
      const res = await t.api.post('/api/v1/segments', { name: 'bad', rules });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_RULES');
      return res.body.error.details[0];
    };
    expect(await bad(leaf('shoeSize', 'eq', 1))).toMatchObject({
      field: 'rules.field',
      message: expect.stringMatching(/unknown field "shoeSize"/),
    });
    expect(await bad(leaf('industry', 'like', 'x'))).toMatchObject({
      field: 'rules.operator',
      message: expect.stringMatching(/unknown operator "like"/),
    });
    expect(await bad(leaf('companySize', 'gt', 'big'))).toMatchObject({
      field: 'rules.value',
      message: 'gt on number field needs a number',
    });
    expect((await t.api.get('/api/v1/segments/fields')).body.data.operators).toHaveLength(11);
  });

  it('keeps static segments by explicit members, and updates and deletes segments', async () => {
    const seg = await t.api.post('/api/v1/segments', {
      name: 'VIPs',
      type: 'static',
      leadIds: [ids.ann, ids.eve],
    });
    expect(seg.status).toBe(201);
    expect(seg.body.data).toMatchObject({ type: 'static', rules: null, memberCount: 2 });
    const id = seg.body.data.id;
    expect((await t.api.get(`/api/v1/segments/${id}/count`)).body.data.count).toBe(2);
    expect(
      (await t.api.post(`/api/v1/segments/${id}/members`, { leadIds: [ids.bob] })).body.data
        .memberCount,
    ).toBe(3);
    expect(
      (await t.api.delete(`/api/v1/segments/${id}/members/${ids.ann}`)).body.data.memberCount,
    ).toBe(2);
    const unknown = await t.api.post(`/api/v1/segments/${id}/members`, {
      leadIds: ['11111111-1111-4111-8111-111111111111'],
    });
    expect(unknown.status).toBe(404);
    const dyn = (
      await t.api.post('/api/v1/segments', { name: 'US', rules: leaf('country', 'eq', 'US') })
    ).body.data;
    const renamed = await t.api.patch(`/api/v1/segments/${dyn.id}`, {
      name: 'Canada',
      rules: leaf('country', 'eq', 'CA'),
    });
    expect(renamed.body.data).toMatchObject({ name: 'Canada', rules: leaf('country', 'eq', 'CA') });
    expect((await t.api.get(`/api/v1/segments/${dyn.id}/count`)).body.data.count).toBe(2);
    expect((await t.api.delete(`/api/v1/segments/${dyn.id}`)).status).toBe(200);
    expect((await t.api.get(`/api/v1/segments/${dyn.id}`)).status).toBe(404);
    expect((await t.api.get('/api/v1/segments')).body.pagination.total).toBeGreaterThan(20);
  });

  it('resolves an audience for the executor: exclusions, totals, segment attribution, keyset pages', async () => {
    const seed = (await t.api.post('/api/v1/segments', { name: 'seed', rules: SEED_AUDIENCE })).body
      .data.id;
    const vip = (
      await t.api.post('/api/v1/segments', {
        name: 'vip',
        type: 'static',
        leadIds: [ids.bob, ids.ann],
      })
    ).body.data.id;
    const page = await leadsRpc<AudiencePage>(t, LeadsRpc.resolveAudience, {
      segmentIds: [seed, vip],
      limit: 1,
    });
    expect(page.totals).toEqual({
      matched: 4,
      eligible: 2,
      excluded: { suppressed: 1, unconsented: 1, sampledOut: 0 },
    });
    const all = [...page.contacts];
    let after = page.nextAfterId;
    while (after) {
      const next = await leadsRpc<AudiencePage>(t, LeadsRpc.resolveAudience, {
        segmentIds: [seed, vip],
        limit: 1,
        afterId: after,
      });
      expect(next.totals).toBeUndefined();
      all.push(...next.contacts);
      after = next.nextAfterId;
    }
    const byName = Object.fromEntries(all.map((c) => [c.firstName, c]));
    expect(Object.keys(byName).sort()).toEqual(['ann', 'bob']);
    expect(byName.ann).toMatchObject({
      id: ids.ann,
      email: 'ann@seg.test',
      segmentId: seed,
      source: 'api',
      customFields: { tier: 'gold' },
    });
    expect(byName.bob.segmentId).toBe(vip);

    // The `copy` format (what enrollment asks for): the same contacts as COPY text lines.
    const copy = await leadsRpc<AudiencePage>(t, LeadsRpc.resolveAudience, {
      segmentIds: [seed, vip],
      format: 'copy',
    });
    expect(copy.contacts).toEqual([]);
    expect(copy.nextAfterId).toBeNull();
    expect(copy.totals).toEqual(page.totals);
    const unescape = (cell: string) =>
      cell === '\\N'
        ? null
        : cell.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);
    const lines = copy.copy!.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(copy.copy!.rows).toBe(2);
    const asObjects = lines.map((line) => {
      const cells = line.split('\t').map(unescape);
      expect(cells).toHaveLength(AUDIENCE_COPY_COLUMNS.length);
      const [id, email, firstName, lastName, company, title, phone, timezone, source, segmentId] =
        cells;
      const customFields = JSON.parse(cells[10]!);
      return {
        ...{ id, email, firstName, lastName, company, title, phone, timezone, source },
        ...{ segmentId, customFields },
      };
    });
    expect(asObjects).toEqual([...all].sort((a, b) => (a.id < b.id ? -1 : 1)));
    // Keyset pages in the copy format: a full page names its last id, the last page none.
    const first = await leadsRpc<AudiencePage>(t, LeadsRpc.resolveAudience, {
      segmentIds: [seed, vip],
      format: 'copy',
      limit: 1,
    });
    expect(first.copy!.rows).toBe(1);
    expect(first.nextAfterId).toBe(asObjects[0].id);
    const second = await leadsRpc<AudiencePage>(t, LeadsRpc.resolveAudience, {
      segmentIds: [seed, vip],
      format: 'copy',
      limit: 5,
      afterId: first.nextAfterId,
    });
    expect(second.copy!.text).toBe(`${lines[1]}\n`);
    expect(second.nextAfterId).toBeNull();

    const filtered = await leadsRpc<AudiencePage>(t, LeadsRpc.resolveAudience, {
      segmentIds: [],
      filters: {
        companySize: '50-500',
        industry: ['technology', 'finance'],
        engagementScore: '>75',
        locations: ['US', 'CA'],
      },
    });
    expect(filtered.contacts.map((c) => c.firstName)).toEqual(['ann']);
    expect(filtered.contacts[0].segmentId).toBeNull();

    const everyone = {
      segmentIds: [],
      filters: {},
      targetPercentage: 50,
      sampleSalt: 'campaign-1',
    };
    const s1 = await leadsRpc<AudiencePage>(t, LeadsRpc.resolveAudience, everyone);
    const s2 = await leadsRpc<AudiencePage>(t, LeadsRpc.resolveAudience, everyone);
    expect(s2.contacts.map((c) => c.id)).toEqual(s1.contacts.map((c) => c.id));
    expect(s1.totals!.matched).toBe(6);
    expect(s1.totals!.eligible + s1.totals!.excluded.sampledOut).toBe(4);
    expect(s1.contacts).toHaveLength(s1.totals!.eligible);
  });

  it('re-checks sendability by email at send time', async () => {
    const res = await leadsRpc<SendableResponse>(t, LeadsRpc.checkSendable, {
      emails: ['ann@seg.test', 'FAY@seg.test', 'dee@seg.test', 'stranger@elsewhere.test'],
    });
    expect(res.blocked.sort((a, b) => a.email.localeCompare(b.email))).toEqual([
      { email: 'dee@seg.test', reason: 'no_consent' },
      { email: 'FAY@seg.test', reason: 'manual' },
    ]);
  });
});
