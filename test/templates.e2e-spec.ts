import { createTenant, TestTenant } from '@app/testing';
import { createCampaign } from './fixtures';

describe('templates', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTenant('tpl');
  });

  const create = (body: Record<string, unknown> = {}) =>
    t.api.post('/api/v1/templates', {
      name: 'Welcome',
      subject: 'Welcome, {{firstName|friend}}',
      bodyHtml:
        '<h1>Hi {{firstName|friend}}</h1><p>Thanks for joining <a href="https://acme.test/start">{{company}}</a>.</p>',
      variables: [{ name: 'firstName', fallback: 'friend' }, { name: 'company' }],
      tags: ['onboarding'],
      ...body,
    });

  it('creates version 1 with a generated text part and warnings for placeholders without fallback', async () => {
    const res = await create();
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      version: 1,
      textGenerated: true,
      channel: 'email',
      tags: ['onboarding'],
    });
    expect(res.body.data.bodyText).toContain('Thanks for joining');
    expect(res.body.data.bodyText).toContain('https://acme.test/start');
    expect(res.body.data.warnings).toEqual([
      expect.objectContaining({ code: 'NO_FALLBACK', variable: 'company' }),
    ]);
  });

  it('refuses unknown placeholders, unbalanced braces and broken HTML, naming each', async () => {
    const res = await create({
      subject: 'Hi {{frist}}',
      bodyHtml: '<div><p>{{firstName</div><span',
    });
    expect(res.status).toBe(400);
    const messages = res.body.error.details.map((d: { message: string }) => d.message).join('\n');
    expect(messages).toContain('{{frist}}');
    expect(messages).toContain('unclosed "{{"');
    expect(messages).toContain('tag cut off');
    const list = await t.api.get('/api/v1/templates?search=Welcome');
    expect(list.body.data.every((tpl: { subject: string }) => !tpl.subject.includes('frist'))).toBe(
      true,
    );
  });

  it('creates a new version on content edits only, keeps old versions readable', async () => {
    const id = (await create({ name: 'Versioned' })).body.data.id;
    const renamed = await t.api.patch(`/api/v1/templates/${id}`, {
      name: 'Versioned v1',
      tags: ['x'],
    });
    expect(renamed.body.data).toMatchObject({
      version: 1,
      versionCreated: false,
      name: 'Versioned v1',
    });
    const edited = await t.api.put(`/api/v1/templates/${id}`, {
      subject: 'New subject {{firstName|you}}',
    });
    expect(edited.body.data).toMatchObject({
      version: 2,
      versionCreated: true,
      subject: 'New subject {{firstName|you}}',
    });
    const versions = await t.api.get(`/api/v1/templates/${id}/versions`);
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const v1 = await t.api.get(`/api/v1/templates/${id}/versions/1`);
    expect(v1.body.data.subject).toBe('Welcome, {{firstName|friend}}');
    expect((await t.api.get(`/api/v1/templates/${id}/versions/9`)).status).toBe(404);
  });

  it('previews with sample data: fallbacks, declared fallbacks and HTML escaping', async () => {
    const id = (await create({ name: 'Preview' })).body.data.id;
    const res = await t.api.post(`/api/v1/templates/${id}/preview`, {
      data: { company: '<Acme & Co>' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.subject).toBe('Welcome, friend');
    expect(res.body.data.html).toContain('Hi friend');
    expect(res.body.data.html).toContain('&lt;Acme &amp; Co&gt;');
    expect(res.body.data.text).toContain('Thanks for joining');
  });

  it('steps use a template’s content, are pinned at launch, and block deleting the template', async () => {
    const tpl = (await create({ name: 'In use' })).body.data;
    const campaign = await createCampaign(t.api, { name: 'Uses template' });
    const step = await t.api.post(`/api/v1/campaigns/${campaign.id}/steps`, {
      type: 'email',
      templateId: tpl.id,
    });
    expect(step.status).toBe(201);
    expect(step.body.data).toMatchObject({
      contentSource: 'template',
      subject: 'Welcome, {{firstName|friend}}',
    });

    await t.api.post(`/api/v1/campaigns/${campaign.id}/launch`);
    await t.api.patch(`/api/v1/templates/${tpl.id}`, { subject: 'Changed after launch' });
    const running = await t.api.get(`/api/v1/campaigns/${campaign.id}`);
    expect(running.body.data.steps[0]).toMatchObject({
      templateVersion: 1,
      subject: 'Welcome, {{firstName|friend}}',
    });

    const del = await t.api.delete(`/api/v1/templates/${tpl.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('TEMPLATE_IN_USE');
    expect(del.body.message).toContain('"Uses template"');
  });

  it('A/B variants use a template’s content, are pinned at launch, and block deleting it', async () => {
    const tpl = (await create({ name: 'Variant B', subject: 'B: hello {{firstName|friend}}' })).body
      .data;
    const campaign = await createCampaign(t.api, { name: 'Variant uses template' });
    const step = await t.api.post(`/api/v1/campaigns/${campaign.id}/steps`, {
      type: 'email',
      variants: [
        { name: 'A', weight: 1, subject: 'A: inline', bodyText: 'inline body' },
        { name: 'B', weight: 1, templateId: tpl.id },
      ],
    });
    expect(step.status).toBe(201);
    const [a, b] = step.body.data.variants;
    expect(a).toMatchObject({ name: 'A', subject: 'A: inline' });
    expect(a.contentSource).toBeUndefined();
    expect(b).toMatchObject({
      name: 'B',
      templateId: tpl.id,
      contentSource: 'template',
      templateVersion: 1,
      subject: 'B: hello {{firstName|friend}}',
    });
    expect(b.bodyHtml).toContain('Thanks for joining');
    const preview = await t.api.post(
      `/api/v1/campaigns/${campaign.id}/steps/${step.body.data.id}/preview`,
      { data: { firstName: 'Grace', company: 'Acme' } },
    );
    expect(preview.status).toBe(200);
    expect(
      preview.body.data.map((m: { variantName: string; subject: string }) => [
        m.variantName,
        m.subject,
      ]),
    ).toEqual([
      ['A', 'A: inline'],
      ['B', 'B: hello Grace'],
    ]);
    expect(preview.body.data[1].html).toContain('Acme');

    await t.api.post(`/api/v1/campaigns/${campaign.id}/launch`);
    await t.api.patch(`/api/v1/templates/${tpl.id}`, { subject: 'B: changed after launch' });
    const running = (await t.api.get(`/api/v1/campaigns/${campaign.id}`)).body.data;
    expect(running.steps[0].variants[1]).toMatchObject({
      templateVersion: 1,
      subject: 'B: hello {{firstName|friend}}',
    });

    const del = await t.api.delete(`/api/v1/templates/${tpl.id}`);
    expect(del.status).toBe(409);
    expect(del.body.message).toContain('"Variant uses template"');
  });

  it('refuses a variant pointing at a foreign template or a missing version, naming the variant', async () => {
    const other = await createTenant('tpl-variant-other');
    const foreign = (
      await other.api.post('/api/v1/templates', { name: 'Theirs', subject: 's', bodyText: 'b' })
    ).body.data.id;
    const mine = (await create({ name: 'Mine' })).body.data.id;
    const campaign = await createCampaign(t.api);
    for (const [variant, field] of [
      [{ templateId: foreign }, 'variants[1].templateId'],
      [{ templateId: mine, templateVersion: 9 }, 'variants[1].templateVersion'],
    ] as const) {
      const res = await t.api.post(`/api/v1/campaigns/${campaign.id}/steps`, {
        type: 'email',
        variants: [
          { name: 'A', weight: 1, subject: 'a', bodyText: 'a' },
          { name: 'B', weight: 1, ...variant },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
    const steps = await t.api.get(`/api/v1/campaigns/${campaign.id}/steps`);
    expect(steps.body.data).toHaveLength(0);
  });

  it('refuses a step pointing at a missing or foreign template', async () => {
    const other = await createTenant('tpl-other');
    const foreign = (
      await other.api.post('/api/v1/templates', { name: 'Theirs', subject: 's', bodyText: 'b' })
    ).body.data.id;
    const campaign = await createCampaign(t.api);
    const res = await t.api.post(`/api/v1/campaigns/${campaign.id}/steps`, {
      type: 'email',
      templateId: foreign,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('templateId');
    for (const path of [`/api/v1/templates/${foreign}`, `/api/v1/templates/${foreign}/versions`]) {
      expect((await t.api.get(path)).status).toBe(404);
    }
    expect((await t.api.delete(`/api/v1/templates/${foreign}`)).status).toBe(404);
    expect((await t.api.patch(`/api/v1/templates/${foreign}`, { name: 'x' })).status).toBe(404);
    expect((await t.api.post(`/api/v1/templates/${foreign}/preview`, {})).status).toBe(404);
  });

  it('with ?segmentId= counts the segment’s leads lacking each variable without a fallback', async () => {
    const tag = `cov${Date.now().toString(36)}`;
    const leads = [
      { firstName: 'Ada', company: 'Acme', custom: { plan: 'pro' } },
      { firstName: 'Bob', company: '', custom: {} },
      { firstName: 'Cy', custom: { plan: '' } },
    ];
    for (const [i, l] of leads.entries()) {
      const res = await t.api.post('/api/v1/leads', {
        source: 'website',
        contact: {
          email: `${tag}-${i}@coverage.example`,
          firstName: l.firstName,
          company: l.company,
        },
        customFields: l.custom,
      });
      expect(res.status).toBe(201);
    }
    const segment = (
      await t.api.post('/api/v1/segments', {
        name: `Coverage ${tag}`,
        rules: { combinator: 'and', rules: [{ field: 'email', operator: 'contains', value: tag }] },
      })
    ).body.data;
    const res = await t.api.post(`/api/v1/templates?segmentId=${segment.id}`, {
      name: 'Coverage',
      subject: 'Hi {{firstName}}',
      bodyText: 'Your plan {{custom.plan}} at {{company}}; {{lastName|friend}}',
    });
    expect(res.status).toBe(201);
    const byVar = Object.fromEntries(
      res.body.data.warnings.map((w: { variable: string }) => [w.variable, w]),
    );
    expect(byVar.company.segment).toMatchObject({ id: segment.id, total: 3, missing: 2 });
    expect(byVar['custom.plan'].segment).toMatchObject({ total: 3, missing: 2 });
    expect(byVar.firstName.segment).toMatchObject({ total: 3, missing: 0 });
    expect(byVar.company.message).toContain('2 of 3 leads');
    expect(byVar.lastName).toBeUndefined();

    const again = await t.api.get(`/api/v1/templates/${res.body.data.id}?segmentId=${segment.id}`);
    expect(again.body.data.warnings).toEqual(res.body.data.warnings);
  });

  it('refuses an unknown or foreign segmentId with a 400 and saves nothing', async () => {
    const other = await createTenant('tpl-seg-other');
    const foreign = (
      await other.api.post('/api/v1/segments', {
        name: 'Theirs',
        rules: { combinator: 'and', rules: [{ field: 'email', operator: 'contains', value: 'x' }] },
      })
    ).body.data.id;
    const name = `Never saved ${Date.now()}`;
    for (const segmentId of [foreign, '00000000-0000-4000-8000-000000000000']) {
      const res = await t.api.post(`/api/v1/templates?segmentId=${segmentId}`, {
        name,
        subject: 's {{company}}',
        bodyText: 'b',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('segmentId');
    }
    expect((await t.api.post('/api/v1/templates?segmentId=nope', { name })).status).toBe(400);
    const list = await t.api.get(`/api/v1/templates?search=${encodeURIComponent(name)}`);
    expect(list.body.data).toHaveLength(0);
  });

  it('deletes an unused template', async () => {
    const id = (await create({ name: 'Disposable' })).body.data.id;
    expect((await t.api.delete(`/api/v1/templates/${id}`)).status).toBe(200);
    expect((await t.api.get(`/api/v1/templates/${id}`)).status).toBe(404);
  });
});
