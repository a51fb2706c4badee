import { Api, createTenant, TestTenant } from '@app/testing';
import { randomBytes } from 'node:crypto';

/** One of each resource a tenant can own, named with a marker that must never leak. */
export interface TenantFixture {
  tenant: TestTenant;
  marker: string;
  ids: Record<string, string>;
  /** GET paths whose bodies must stay the same when only rejected requests touched them. */
  snapshots: Record<string, string[]>;
}

async function must(
  res: Promise<{ status: number; body: any; text: string }>,
  what: string,
): Promise<any> {
  const r = await res;
  if (r.status >= 300) throw new Error(`fixture ${what}: ${r.status} ${r.text}`);
  return r.body.data;
}

export async function buildFixture(prefix: string): Promise<TenantFixture> {
  const tenant = await createTenant(prefix);
  const marker = `zz${randomBytes(6).toString('hex')}`;
  const api: Api = tenant.api;
  const campaign = await must(
    api.post('/api/v1/campaigns', {
      name: `Campaign ${marker}`,
      description: marker,
      type: 'drip',
    }),
    'campaign',
  );
  const step = await must(
    api.post(`/api/v1/campaigns/${campaign.id}/steps`, {
      type: 'email',
      subject: `Hi ${marker}`,
      bodyText: marker,
    }),
    'step',
  );
  const task = await must(
    api.post(`/api/v1/campaigns/${campaign.id}/tasks`, { title: `Task ${marker}` }),
    'task',
  );
  const content = await must(
    api.post(`/api/v1/campaigns/${campaign.id}/content`, { title: `Post ${marker}` }),
    'content',
  );
  const template = await must(
    api.post('/api/v1/templates', { name: `Tpl ${marker}`, subject: marker, bodyText: marker }),
    'template',
  );
  const lead = await must(
    api.post('/api/v1/leads', {
      source: 'api',
      contact: { email: `${marker}@${prefix}.example`, firstName: marker },
    }),
    'lead',
  );
  const leadId = lead.id ?? lead.leadId ?? lead.lead?.id;
  const segment = await must(
    api.post('/api/v1/segments', {
      name: `Seg ${marker}`,
      rules: {
        combinator: 'and',
        rules: [{ field: 'email', operator: 'contains', value: marker }],
      },
    }),
    'segment',
  );
  const email = `sup-${marker}@${prefix}.example`;
  await must(api.post('/api/v1/suppressions', { email, reason: 'manual' }), 'suppression');
  const key = await must(api.post('/api/v1/api-keys', { name: `key ${marker}` }), 'api key');
  const ids = {
    campaign: campaign.id,
    stepId: step.id,
    taskId: task.id,
    contentId: content.id,
    template: template.id,
    lead: leadId,
    leadId,
    segment: segment.id,
    email,
    keyId: key.id,
    workspaceId: tenant.workspaceId,
  };
  const snapshots: Record<string, string[]> = {
    [campaign.id]: [
      `/api/v1/campaigns/${campaign.id}`,
      `/api/v1/campaigns/${campaign.id}/tasks`,
      `/api/v1/campaigns/${campaign.id}/content`,
    ],
    [template.id]: [
      `/api/v1/templates/${template.id}`,
      `/api/v1/templates/${template.id}/versions`,
    ],
    [leadId]: [`/api/v1/leads/${leadId}`],
    [segment.id]: [`/api/v1/segments/${segment.id}`],
  };
  return { tenant, marker, ids, snapshots };
}

/** Reads every snapshot path with the owner's key; volatile counters are left out. */
export async function takeSnapshot(f: TenantFixture): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const paths of Object.values(f.snapshots)) {
    for (const path of paths) {
      const res = await f.tenant.api.get(path);
      out[path] = `${res.status} ${JSON.stringify(res.body?.data ?? res.text)}`;
    }
  }
  return out;
}
