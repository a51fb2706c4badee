import { Api, createTenant, TestTenant } from '@app/testing';
import { randomBytes } from 'node:crypto';

const MAIL = `http://127.0.0.1:${process.env.MAILCATCHER_HTTP_PORT ?? 1080}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function mailTo(address: string, atLeast = 1, timeoutMs = 20000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = (await (
      await fetch(`${MAIL}/api/messages?to=${encodeURIComponent(address)}`)
    ).json()) as any[];
    if (list.length >= atLeast || Date.now() > deadline) return list;
    await sleep(200);
  }
}

/** Tracking tokens differ per delivery; everything else must be identical. */
const normalise = (s: string | null | undefined) =>
  (s ?? '')
    .replace(/\/t\/([ocu])\/[A-Za-z0-9_\-.]+/g, '/t/$1/TOKEN')
    .replace(/\r\n/g, '\n')
    .trim();

async function lead(
  api: Api,
  email: string,
  fields: Record<string, unknown> = {},
  consent = true,
): Promise<string> {
  const res = await api.post('/api/v1/leads', {
    source: 'authoring',
    contact: { email, ...fields },
    consent: { email: consent },
    timezone: 'America/New_York',
  });
  if (res.status !== 201) throw new Error(res.text);
  return res.body.data.leadId;
}

async function campaignFor(
  api: Api,
  tag: string,
  body: Record<string, unknown>,
  steps: Record<string, unknown>[],
): Promise<{ id: string; steps: any[] }> {
  const segment = await api.post('/api/v1/segments', {
    name: tag,
    rules: { combinator: 'and', rules: [{ field: 'email', operator: 'contains', value: tag }] },
  });
  const campaign = (
    await api.post('/api/v1/campaigns', {
      name: `Authoring ${tag}`,
      type: 'drip',
      fromEmail: 'news@authoring.example',
      fromName: 'Authoring',
      targetAudience: { segments: [segment.body.data.id] },
      ...body,
    })
  ).body.data;
  const created = [];
  for (const step of steps)
    created.push((await api.post(`/api/v1/campaigns/${campaign.id}/steps`, step)).body.data);
  return { id: campaign.id, steps: created };
}

describe('previews, test sends and the dry run', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTenant('authoring');
  });

  it('previews a step for a lead exactly as the SMTP server then receives it', async () => {
    const tag = `pv${randomBytes(3).toString('hex')}`;
    const email = `ada-${tag}@authoring.example`;
    const leadId = await lead(t.api, email, { firstName: 'Ada', company: '<Engines & Co>' });
    const { id, steps } = await campaignFor(t.api, tag, { type: 'broadcast' }, [
      {
        type: 'email',
        subject: 'Hello {{firstName|there}}',
        bodyHtml:
          '<p>Hi {{firstName|there}} of {{company}}, see <a href="https://example.com/x">this</a></p>',
        bodyText: 'Hi {{firstName|there}}',
      },
    ]);
    const preview = await t.api.post(`/api/v1/campaigns/${id}/steps/${steps[0].id}/preview`, {
      leadId,
    });
    expect(preview.status).toBe(200);
    const [p] = preview.body.data;
    expect(p.subject).toBe('Hello Ada');
    expect(p.html).toContain('&lt;Engines &amp; Co&gt;');
    expect(p.html).toMatch(/\/t\/c\//);
    expect(p.html).toMatch(/\/t\/o\//);
    expect(p.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    const [received] = await mailTo(email);
    expect(received.subject).toBe(p.subject);
    expect(normalise(received.html)).toBe(normalise(p.html));
    expect(normalise(received.text)).toBe(normalise(p.text));
    expect(received.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  });

  it('previews sample data and every A/B variant', async () => {
    const tag = `ab${randomBytes(3).toString('hex')}`;
    const { id, steps } = await campaignFor(t.api, tag, {}, [
      {
        type: 'email',
        variants: [
          { name: 'A', weight: 50, subject: 'A for {{firstName|you}}', bodyText: 'a' },
          { name: 'B', weight: 50, subject: 'B for {{firstName|you}}', bodyText: 'b' },
        ],
      },
    ]);
    const res = await t.api.post(`/api/v1/campaigns/${id}/steps/${steps[0].id}/preview`, {
      data: { firstName: 'Grace' },
    });
    expect(
      res.body.data.map((m: { variantName: string; subject: string }) => [
        m.variantName,
        m.subject,
      ]),
    ).toEqual([
      ['A', 'A for Grace'],
      ['B', 'B for Grace'],
    ]);
  });

  it('test-sends to the given addresses through the real channel and counts nothing', async () => {
    const tag = `ts${randomBytes(3).toString('hex')}`;
    const { id } = await campaignFor(t.api, tag, {}, [
      { type: 'email', subject: 'Step one {{firstName|friend}}', bodyText: 'one' },
      { type: 'wait', delay: { amount: 1, unit: 'days' } },
      { type: 'email', subject: 'Step two', bodyText: 'two' },
    ]);
    const to = [`qa1-${tag}@authoring.example`, `qa2-${tag}@authoring.example`];
    const res = await t.api.post(`/api/v1/campaigns/${id}/test`, {
      emails: to,
      data: { firstName: 'QA' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.sent).toHaveLength(4);
    const mails = await mailTo(to[0], 2);
    expect(mails.map((m) => m.subject).sort()).toEqual(['[Test] Step one QA', '[Test] Step two']);
    expect(mails[0].headers['x-test-send']).toBe('true');
    const campaign = await t.api.get(`/api/v1/campaigns/${id}`);
    expect(campaign.body.data.status).toBe('draft');
    const perf = await t.api.get(`/api/v1/campaigns/${id}/performance`);
    expect(perf.body.data?.metrics?.sent ?? 0).toBe(0);
    const tooMany = await t.api.post(`/api/v1/campaigns/${id}/test`, {
      emails: Array.from({ length: 11 }, (_, i) => `x${i}@a.example`),
    });
    expect(tooMany.status).toBe(400);
  });

  it('plans a campaign and the real run then matches it per step and day', async () => {
    const tag = `sim${randomBytes(3).toString('hex')}`;
    for (let i = 0; i < 5; i++)
      await lead(t.api, `c${i}-${tag}@authoring.example`, { firstName: `C${i}` });
    await lead(t.api, `noconsent-${tag}@authoring.example`, {}, false);
    const suppressed = `supp-${tag}@authoring.example`;
    await lead(t.api, suppressed);
    await t.api.post('/api/v1/suppressions', { email: suppressed, reason: 'manual' });
    const { id, steps } = await campaignFor(t.api, tag, { settings: { dailyLimit: 3 } }, [
      { type: 'email', subject: 'First {{firstName}}', bodyText: 'first' },
      { type: 'email', subject: 'Second {{firstName}}', bodyText: 'second' },
    ]);

    const plan = await t.api.post(`/api/v1/campaigns/${id}/simulate`, { sampleSize: 2 });
    expect(plan.status).toBe(200);
    const p = plan.body.data;
    expect(p.audience).toMatchObject({ enrolled: 5, excluded: { suppressed: 1, unconsented: 1 } });
    expect(p.totals.sends).toBe(10);
    const today = p.perDay[0];
    expect(today.sends).toBe(3);
    expect(today.steps).toEqual([expect.objectContaining({ stepId: steps[0].id, sends: 3 })]);
    expect(p.perDay.map((d: { sends: number }) => d.sends)).toEqual([3, 3, 3, 1]);
    expect(p.sample).toHaveLength(2);
    expect(p.tookMs).toBeLessThan(10000);

    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);
    // Today the real run sends exactly what the plan says for today, and holds the rest.
    let first: any[] = [];
    for (let i = 0; i < 40 && first.length < 3; i++) {
      await sleep(500);
      first = ((await (await fetch(`${MAIL}/api/messages?limit=100000`)).json()) as any[]).filter(
        (m) => m.to.some((a: string) => a.includes(tag)),
      );
    }
    await sleep(3000);
    const mails = (
      (await (await fetch(`${MAIL}/api/messages?limit=100000`)).json()) as any[]
    ).filter((m) => m.to.some((a: string) => a.includes(tag)));
    expect(mails.map((m) => m.subject.split(' ')[0])).toEqual(['First', 'First', 'First']);
    const progress = (await t.api.get(`/api/v1/campaigns/${id}/progress`)).body.data;
    expect(progress.progress.total).toBe(p.totals.sends);
    expect(progress.progress.successful).toBe(today.sends);
  });

  it('refuses other tenants’ campaigns and bad input', async () => {
    const other = await createTenant('authoring-other');
    const { id, steps } = await campaignFor(t.api, `iso${randomBytes(3).toString('hex')}`, {}, [
      { type: 'email', subject: 's', bodyText: 'b' },
    ]);
    expect((await other.api.post(`/api/v1/campaigns/${id}/simulate`, {})).status).toBe(404);
    expect(
      (await other.api.post(`/api/v1/campaigns/${id}/test`, { emails: ['a@b.example'] })).status,
    ).toBe(404);
    expect(
      (await other.api.post(`/api/v1/campaigns/${id}/steps/${steps[0].id}/preview`, {})).status,
    ).toBe(404);
    expect(
      (await t.api.post(`/api/v1/campaigns/${id}/simulate`, { targetPercentage: 0 })).status,
    ).toBe(400);
    expect(
      (
        await t.api.post(
          `/api/v1/campaigns/${id}/steps/00000000-0000-4000-8000-000000000001/preview`,
          {},
        )
      ).status,
    ).toBe(404);
  });
});
