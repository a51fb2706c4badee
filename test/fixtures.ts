import { Api } from '@app/testing';

export const EMAIL_STEP = {
  type: 'email',
  subject: 'Hello {{firstName|there}}',
  bodyHtml: '<p>Hi {{firstName|there}}</p>',
};

export async function createCampaign(
  api: Api,
  overrides: Record<string, unknown> = {},
): Promise<any> {
  const res = await api.post('/api/v1/campaigns', {
    name: 'Spring launch',
    type: 'drip',
    fromEmail: 'news@example.com',
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body.data;
}

/** A campaign that can launch: sender set and one email step. */
export async function createLaunchable(
  api: Api,
  overrides: Record<string, unknown> = {},
): Promise<any> {
  const campaign = await createCampaign(api, overrides);
  const step = await api.post(`/api/v1/campaigns/${campaign.id}/steps`, EMAIL_STEP);
  if (step.status !== 201) throw new Error(`step failed: ${step.status} ${step.text}`);
  return campaign;
}
