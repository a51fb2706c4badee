import { AudiencePage, LeadsRpc, SendableResponse } from '@app/contracts';
import { createTenant, KafkaCollector, TestTenant } from '@app/testing';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { leadsRpc, uploadCsv, waitForImport } from './leads-fixtures';

const psql = (sql: string) =>
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', testDb(), '-qAtc', sql])
    .toString()
    .trim();
const testDb = () =>
  process.env.E2E_INSTANCE && process.env.E2E_INSTANCE !== '0'
    ? `campaign_test_${process.env.E2E_INSTANCE}`
    : 'campaign_test';

// The e2e project's testTimeout is not applied per project; these talk to a real stack.
jest.setTimeout(60_000);

describe('leads: suppression, consent and erasure', () => {
  let t: TestTenant;
  const collector = new KafkaCollector(['test.lead.events']);

  beforeAll(async () => {
    await collector.start();
    t = await createTenant('privacy');
  });
  afterAll(() => collector.stop());

  it('keeps a suppression list with reason and time, readable and editable', async () => {
    const lead = (await t.api.post('/api/v1/leads', { contact: { email: 'unsub@priv.test' } })).body
      .data.leadId;
    const add = await t.api.post('/api/v1/suppressions', {
      email: 'Unsub@Priv.test',
      reason: 'unsubscribed',
      note: 'footer link',
    });
    expect(add.status).toBe(201);
    expect(add.body.data).toMatchObject({
      email: 'unsub@priv.test',
      reason: 'unsubscribed',
      note: 'footer link',
    });
    expect(new Date(add.body.data.createdAt).getTime()).toBeGreaterThan(Date.now() - 60000);
    await t.api.post('/api/v1/suppressions', { email: 'bounce@priv.test', reason: 'bounced' });
    expect(
      (await t.api.post('/api/v1/suppressions', { email: 'x@priv.test', reason: 'bored' })).status,
    ).toBe(400);

    const list = await t.api.get('/api/v1/suppressions?reason=unsubscribed');
    expect(list.body.data.map((s: { email: string }) => s.email)).toEqual(['unsub@priv.test']);
    expect((await t.api.get(`/api/v1/leads/${lead}`)).body.data.suppression).toMatchObject({
      reason: 'unsubscribed',
    });
    const event = await collector.waitFor(
      (e) => e.value.type === 'lead.suppressed' && e.value.leadId === lead,
    );
    expect(event.key).toBe(lead);
    expect(event.value.data).toMatchObject({
      leadId: lead,
      email: 'unsub@priv.test',
      reason: 'unsubscribed',
    });

    const removed = await t.api.delete('/api/v1/suppressions/UNSUB@priv.test');
    expect(removed.status).toBe(200);
    expect((await t.api.get(`/api/v1/leads/${lead}`)).body.data.suppression).toBeNull();
    await collector.waitFor((e) => e.value.type === 'lead.unsuppressed' && e.value.leadId === lead);
    expect((await t.api.delete('/api/v1/suppressions/unsub@priv.test')).status).toBe(404);
  });

  it('records consent and never offers unconsented leads to send', async () => {
    const lead = (
      await t.api.post('/api/v1/leads', {
        contact: { email: 'noconsent@priv.test' },
        consent: { email: false, source: 'form' },
      })
    ).body.data;
    expect(lead.lead.consent).toMatchObject({ email: false, source: 'form' });
    expect(lead.nextActions).toContain('collect_consent');
    const check = await leadsRpc<SendableResponse>(t, LeadsRpc.checkSendable, {
      emails: ['noconsent@priv.test', 'bounce@priv.test'],
    });
    expect(check.blocked).toEqual(
      expect.arrayContaining([
        { email: 'noconsent@priv.test', reason: 'no_consent' },
        { email: 'bounce@priv.test', reason: 'bounced' },
      ]),
    );
    const granted = await t.api.patch(`/api/v1/leads/${lead.leadId}`, {
      consent: { email: true, source: 'double_opt_in' },
    });
    expect(granted.body.data.consent).toMatchObject({ email: true, source: 'double_opt_in' });
  });

  it('applies the workspace consent mode to leads without consent information', async () => {
    const w = await createTenant('consent-mode');
    const other = await createTenant('consent-other');
    expect((await w.api.get('/api/v1/consent-policy')).body.data).toEqual({
      mode: 'implied',
      source: 'default',
      updatedAt: null,
    });
    const unknown = (await w.api.post('/api/v1/leads', { contact: { email: 'unknown@cons.test' } }))
      .body.data;
    expect(unknown.lead.consent).toEqual({ email: null, source: null, updatedAt: null });
    expect(unknown.nextActions).toContain('collect_consent');
    await w.api.post('/api/v1/leads', {
      contact: { email: 'yes@cons.test' },
      consent: { email: true, source: 'form' },
    });
    await w.api.post('/api/v1/leads', {
      contact: { email: 'no@cons.test' },
      consent: { email: false, source: 'form' },
    });
    const job = await waitForImport(
      w.api,
      (await uploadCsv(w.api, '/api/v1/leads/import', 'email\nimported@cons.test\n')).body.data.id,
    );
    expect(job.result.created).toBe(1);
    const all = ['unknown@cons.test', 'yes@cons.test', 'no@cons.test', 'imported@cons.test'];
    const blocked = async () =>
      (await leadsRpc<SendableResponse>(w, LeadsRpc.checkSendable, { emails: all })).blocked
        .map((b) => `${b.email}:${b.reason}`)
        .sort();
    const audience = async () => {
      const page = await leadsRpc<AudiencePage>(w, LeadsRpc.resolveAudience, { segmentIds: [] });
      return { emails: page.contacts.map((c) => c.email).sort(), totals: page.totals };
    };

    // implied: no information counts as consent; a refusal never does.
    expect(await blocked()).toEqual(['no@cons.test:no_consent']);
    expect(await audience()).toMatchObject({
      emails: ['imported@cons.test', 'unknown@cons.test', 'yes@cons.test'],
      totals: { matched: 4, eligible: 3, excluded: { unconsented: 1 } },
    });

    const bad = await w.api.put('/api/v1/consent-policy', { mode: 'maybe' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toMatch(/mode/);
    expect((await w.api.get('/api/v1/consent-policy')).body.data.source).toBe('default');

    const set = await w.api.put('/api/v1/consent-policy', { mode: 'opt_in' });
    expect(set.status).toBe(200);
    expect(set.body.data).toMatchObject({ mode: 'opt_in', source: 'workspace' });
    // opt_in: only an explicit yes is mailable, for audiences and at send time alike.
    expect(await blocked()).toEqual([
      'imported@cons.test:no_consent',
      'no@cons.test:no_consent',
      'unknown@cons.test:no_consent',
    ]);
    expect(await audience()).toMatchObject({
      emails: ['yes@cons.test'],
      totals: { matched: 4, eligible: 1, excluded: { unconsented: 3 } },
    });
    // Another tenant's workspace keeps its own (default) mode.
    expect((await other.api.get('/api/v1/consent-policy')).body.data.mode).toBe('implied');
  });

  it('erases a lead everywhere and keeps only a hashed suppression', async () => {
    const email = 'forget.me@priv.test';
    const job = await waitForImport(
      t.api,
      (await uploadCsv(t.api, '/api/v1/leads/import', `email,leadScore\n${email},999\n`)).body.data
        .id,
    );
    expect(job.result.rejected).toBe(1);
    const lead = (
      await t.api.post('/api/v1/leads', {
        contact: { email, firstName: 'Forget', phone: '+1 555' },
        notes: 'private',
      })
    ).body.data.leadId;
    await t.api.patch(`/api/v1/leads/${lead}`, {
      status: 'contacted',
      statusNote: 'called Forget',
    });
    const seg = (
      await t.api.post('/api/v1/segments', { name: 'static', type: 'static', leadIds: [lead] })
    ).body.data.id;

    const erased = await t.api.post(`/api/v1/leads/${lead}/erase`);
    expect(erased.status).toBe(200);
    expect((await t.api.get(`/api/v1/leads/${lead}`)).status).toBe(404);
    expect((await t.api.get(`/api/v1/segments/${seg}/count`)).body.data.count).toBe(0);
    expect((await t.api.get(`/api/v1/leads/imports/${job.id}/rejections`)).body.data).toEqual([]);

    // Nothing in the leads schema still holds the address, the name or the note.
    const hits = psql(
      `SELECT count(*) FROM leads.leads WHERE email_normalized = '${email}'` +
        ` UNION ALL SELECT count(*) FROM leads.status_history WHERE lead_id = '${lead}'` +
        ` UNION ALL SELECT count(*) FROM leads.import_issues WHERE data::text LIKE '%forget.me%'` +
        ` UNION ALL SELECT count(*) FROM leads.suppressions WHERE email IS NOT NULL AND email LIKE '%forget%'`,
    );
    expect(hits.split('\n')).toEqual(['0', '0', '0', '0']);
    const hash = createHash('sha256').update(`${t.workspaceId}:${email}`).digest('hex');
    const supp = await t.api.get('/api/v1/suppressions?reason=erased');
    expect(supp.body.data).toEqual([
      expect.objectContaining({ email: null, emailHash: hash, reason: 'erased' }),
    ]);
    expect((await t.api.delete(`/api/v1/suppressions/${email}`)).status).toBe(409);

    const event = await collector.waitFor(
      (e) => e.value.type === 'lead.erased' && e.value.leadId === lead,
    );
    expect(event.key).toBe(lead);
    expect(event.value.data).toEqual({ leadId: lead, emailHash: hash });
    expect(JSON.stringify(event.value)).not.toContain('forget');

    // The address stays blocked: a re-capture is suppressed and the send-time check refuses it.
    const again = await t.api.post('/api/v1/leads', { contact: { email } });
    expect(again.body.data.lead.suppression).toMatchObject({ reason: 'erased' });
    const check = await leadsRpc<SendableResponse>(t, LeadsRpc.checkSendable, { emails: [email] });
    expect(check.blocked).toEqual([{ email, reason: 'erased' }]);
  });

  it('erases through DELETE ?erase=true and deletes plainly without it', async () => {
    const a = (await t.api.post('/api/v1/leads', { contact: { email: 'del-a@priv.test' } })).body
      .data.leadId;
    const b = (await t.api.post('/api/v1/leads', { contact: { email: 'del-b@priv.test' } })).body
      .data.leadId;
    expect((await t.api.delete(`/api/v1/leads/${a}?erase=true`)).status).toBe(200);
    expect((await t.api.delete(`/api/v1/leads/${b}`)).status).toBe(200);
    const erased = (await t.api.get('/api/v1/suppressions?reason=erased')).body.data;
    expect(erased).toHaveLength(2);
    await collector.waitFor((e) => e.value.type === 'lead.deleted' && e.value.leadId === b);
    const check = await leadsRpc<SendableResponse>(t, LeadsRpc.checkSendable, {
      emails: ['del-a@priv.test', 'del-b@priv.test'],
    });
    expect(check.blocked).toEqual([{ email: 'del-a@priv.test', reason: 'erased' }]);
  });
});
