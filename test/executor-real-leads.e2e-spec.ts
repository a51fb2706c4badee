import { createTenant, TestTenant } from '@app/testing';
import { mailFor, recipients, sleep, waitUntil } from './executor-harness';

jest.setTimeout(60000);

/** The whole real stack: leads captured through the API, the leads service's audience RPC. */
describe('executor with the real leads service', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTenant('exec-real');
  });

  it('mails every consented lead of the workspace exactly once, and no one else', async () => {
    const consented = recipients('realleads', 3);
    const [unconsented] = recipients('realleads', 1, 'noconsent');
    for (const [i, email] of consented.entries()) {
      const res = await t.api.post('/api/v1/leads', {
        source: 'website_form',
        contact: { email, firstName: `Rea${i}` },
        consent: { email: true },
      });
      expect(res.status).toBe(201);
    }
    await t.api.post('/api/v1/leads', {
      source: 'website_form',
      contact: { email: unconsented },
      consent: { email: false },
    });

    const created = await t.api.post('/api/v1/campaigns', {
      name: 'Everyone',
      type: 'broadcast',
      fromEmail: 'news@acme.example',
    });
    const id = created.body.data.id;
    await t.api.post(`/api/v1/campaigns/${id}/steps`, {
      type: 'email',
      subject: 'Hi {{firstName}}',
      bodyText: 'x',
    });
    expect((await t.api.post(`/api/v1/campaigns/${id}/launch`, {})).status).toBe(200);

    await waitUntil(
      'mail',
      () => mailFor(consented),
      (m) => [...m.values()].every((l) => l.length >= 1),
      30000,
    );
    await sleep(1500);
    const mail = await mailFor([...consented, unconsented]);
    consented.forEach((email, i) => {
      expect(mail.get(email)).toHaveLength(1);
      expect(mail.get(email)![0].subject).toBe(`Hi Rea${i}`);
    });
    expect(mail.get(unconsented)).toHaveLength(0);
    // One-click unsubscribe reaches the leads service, the owner of suppression.
    const unsubscribe = /^<(.+)>$/.exec(mail.get(consented[0])![0].headers['list-unsubscribe'])![1];
    const res = await fetch(unsubscribe, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    const suppressed = await waitUntil(
      'leads suppression',
      async () => (await t.api.get('/api/v1/suppressions?reason=unsubscribed')).body.data,
      (list: any[]) => list.length > 0,
    );
    expect(JSON.stringify(suppressed)).toContain(consented[0].split('@')[1]);
    await waitUntil(
      'completed',
      async () => (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status,
      (s) => s === 'completed',
      20000,
    );
  });
});
