import { createTenant, TestTenant } from '@app/testing';
import { createLaunchable } from './fixtures';

/** Every campaign route, called by tenant B with tenant A's ids, must answer exactly like a missing id. */
describe('tenant isolation', () => {
  let a: TestTenant;
  let b: TestTenant;
  let campaignId: string;
  let stepId: string;
  let taskId: string;
  let contentId: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTenant('iso-a'), createTenant('iso-b')]);
    const c = await createLaunchable(a.api, { name: 'Secret plan' });
    campaignId = c.id;
    stepId = (await a.api.get(`/api/v1/campaigns/${c.id}/steps`)).body.data[0].id;
    taskId = (await a.api.post(`/api/v1/campaigns/${c.id}/tasks`, { title: 'Secret task' })).body
      .data.id;
    contentId = (await a.api.post(`/api/v1/campaigns/${c.id}/content`, { title: 'Secret post' }))
      .body.data.id;
  });

  const routes = (): Array<[string, string, object?]> => [
    ['GET', `/api/v1/campaigns/${campaignId}`],
    ['PATCH', `/api/v1/campaigns/${campaignId}`, { name: 'pwned' }],
    ['PUT', `/api/v1/campaigns/${campaignId}`, { name: 'pwned' }],
    ['DELETE', `/api/v1/campaigns/${campaignId}`],
    ['POST', `/api/v1/campaigns/${campaignId}/launch`, {}],
    ['POST', `/api/v1/campaigns/${campaignId}/execute`, {}],
    ['POST', `/api/v1/campaigns/${campaignId}/pause`, {}],
    ['POST', `/api/v1/campaigns/${campaignId}/resume`, {}],
    ['POST', `/api/v1/campaigns/${campaignId}/cancel`, {}],
    ['PATCH', `/api/v1/campaigns/${campaignId}/status`, { status: 'cancelled' }],
    ['POST', `/api/v1/campaigns/${campaignId}/clone`, {}],
    ['GET', `/api/v1/campaigns/${campaignId}/steps`],
    [
      'POST',
      `/api/v1/campaigns/${campaignId}/steps`,
      { type: 'wait', delay: { amount: 1, unit: 'days' } },
    ],
    ['PATCH', `/api/v1/campaigns/${campaignId}/steps/${stepId}`, { name: 'x' }],
    ['DELETE', `/api/v1/campaigns/${campaignId}/steps/${stepId}`],
    ['GET', `/api/v1/campaigns/${campaignId}/tasks`],
    ['POST', `/api/v1/campaigns/${campaignId}/tasks`, { title: 'x' }],
    ['PATCH', `/api/v1/campaigns/${campaignId}/tasks/${taskId}`, { title: 'x' }],
    ['PUT', `/api/v1/campaigns/${campaignId}/tasks/${taskId}`, { title: 'x' }],
    ['DELETE', `/api/v1/campaigns/${campaignId}/tasks/${taskId}`],
    ['GET', `/api/v1/campaigns/${campaignId}/content`],
    ['POST', `/api/v1/campaigns/${campaignId}/content`, { title: 'x' }],
    ['PATCH', `/api/v1/campaigns/${campaignId}/content/${contentId}`, { title: 'x' }],
    ['PUT', `/api/v1/campaigns/${campaignId}/content/${contentId}`, { title: 'x' }],
    ['DELETE', `/api/v1/campaigns/${campaignId}/content/${contentId}`],
    ['GET', `/api/v1/campaigns/${campaignId}/content/${contentId}/media`],
  ];

  it('answers 404 on every route for another tenant’s ids and changes nothing', async () => {
    for (const [method, path, body] of routes()) {
      const res = await b.api.request(method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(res.text).not.toContain('Secret');
    }
    const mine = await a.api.get(`/api/v1/campaigns/${campaignId}`);
    expect(mine.body.data).toMatchObject({ name: 'Secret plan', status: 'draft' });
    expect(mine.body.data.steps).toHaveLength(1);
    expect((await a.api.get(`/api/v1/campaigns/${campaignId}/tasks`)).body.data[0].title).toBe(
      'Secret task',
    );
    expect((await a.api.get(`/api/v1/campaigns/${campaignId}/content`)).body.data[0].title).toBe(
      'Secret post',
    );
  });

  it('lists only the caller’s own campaigns', async () => {
    const list = await b.api.get('/api/v1/campaigns?search=Secret');
    expect(list.body.pagination.total).toBe(0);
    expect((await a.api.get('/api/v1/campaigns?search=Secret')).body.pagination.total).toBe(1);
  });

  it('answers a foreign id exactly like a missing one', async () => {
    const foreign = await b.api.get(`/api/v1/campaigns/${campaignId}`);
    const missing = await b.api.get('/api/v1/campaigns/11111111-1111-4111-8111-111111111111');
    expect(foreign.body.error.code).toBe(missing.body.error.code);
    expect(foreign.body.message.replace(campaignId, 'ID')).toBe(
      missing.body.message.replace('11111111-1111-4111-8111-111111111111', 'ID'),
    );
  });
});
