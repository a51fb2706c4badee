import { createTenant, GATEWAY_URL, TestTenant } from '@app/testing';
import { createCampaign } from './fixtures';

// A real 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function form(
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Buffer },
): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file)
    fd.append('media', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  return fd;
}

describe('content calendar and media', () => {
  let t: TestTenant;
  let campaignId: string;
  beforeAll(async () => {
    t = await createTenant('content');
    campaignId = (await createCampaign(t.api)).id;
  });

  it('creates an item with a media upload and serves the bytes back only with a key', async () => {
    const res = await t.api.post(
      `/api/v1/campaigns/${campaignId}/content`,
      form(
        {
          title: 'Launch post',
          contentType: 'blog',
          platform: 'wordpress',
          scheduledDate: '2030-06-15T10:00:00Z',
          status: 'draft',
          body: 'Text',
        },
        { name: 'hero.png', type: 'image/png', data: PNG },
      ),
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      title: 'Launch post',
      platform: 'wordpress',
      scheduledDate: '2030-06-15T10:00:00.000Z',
    });
    expect(res.body.data.media).toMatchObject({
      fileName: 'hero.png',
      mimeType: 'image/png',
      size: PNG.length,
    });
    const media = await t.api.get(res.body.data.media.url);
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe('image/png');
    expect(media.headers.get('x-content-type-options')).toBe('nosniff');
    const anonymous = await fetch(`${GATEWAY_URL}${res.body.data.media.url}`);
    expect(anonymous.status).toBe(401);
  });

  it('refuses a file whose content is not what its name and type claim', async () => {
    const script = Buffer.from('<script>alert(document.cookie)</script>\n'.repeat(10));
    const res = await t.api.post(
      `/api/v1/campaigns/${campaignId}/content`,
      form({ title: 'Disguised' }, { name: 'photo.png', type: 'image/png', data: script }),
    );
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const list = await t.api.get(`/api/v1/campaigns/${campaignId}/content`);
    expect(list.body.data.map((c: { title: string }) => c.title)).not.toContain('Disguised');
  });

  it('refuses a file over the size limit with 413', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(300 * 1024)]);
    const res = await t.api.post(
      `/api/v1/campaigns/${campaignId}/content`,
      form({ title: 'Huge' }, { name: 'big.png', type: 'image/png', data: big }),
    );
    expect(res.status).toBe(413);
    expect(res.body.success).toBe(false);
  });

  it('validates multipart text fields like JSON ones', async () => {
    const res = await t.api.post(
      `/api/v1/campaigns/${campaignId}/content`,
      form({ title: 'x', status: 'live', colour: 'red' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'colour',
      'status',
    ]);
  });

  it('updates, replaces media and deletes items', async () => {
    const created = (
      await t.api.post(`/api/v1/campaigns/${campaignId}/content`, { title: 'Plain' })
    ).body.data;
    expect(created.media).toBeNull();
    const updated = await t.api.put(
      `/api/v1/campaigns/${campaignId}/content/${created.id}`,
      form({ status: 'published' }, { name: 'new.png', type: 'image/png', data: PNG }),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({
      status: 'published',
      media: { fileName: 'new.png' },
    });
    expect(
      (await t.api.delete(`/api/v1/campaigns/${campaignId}/content/${created.id}`)).status,
    ).toBe(200);
    expect(
      (await t.api.get(`/api/v1/campaigns/${campaignId}/content/${created.id}/media`)).status,
    ).toBe(404);
  });
});

describe('campaign tasks', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTenant('tasks');
  });

  it('creates, lists, updates (PATCH and PUT) and deletes tasks', async () => {
    const { id } = await createCampaign(t.api);
    const { id: campaignId } = await createCampaign(t.api, { name: 'Without tasks' });
    const created = await t.api.post(`/api/v1/campaigns/${id}/tasks`, {
      title: 'Create ad copy',
      description: 'Facebook copy',
      assignee: 'maria@example.com',
      dueDate: '2030-06-15T00:00:00Z',
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      title: 'Create ad copy',
      status: 'pending',
      dueDate: '2030-06-15T00:00:00.000Z',
    });
    const taskId = created.body.data.id;
    expect(
      (await t.api.patch(`/api/v1/campaigns/${id}/tasks/${taskId}`, { status: 'in_progress' })).body
        .data.status,
    ).toBe('in_progress');
    expect(
      (
        await t.api.put(`/api/v1/campaigns/${id}/tasks/${taskId}`, {
          status: 'completed',
          description: 'done',
        })
      ).body.data,
    ).toMatchObject({
      status: 'completed',
      description: 'done',
      title: 'Create ad copy',
    });
    expect(
      (await t.api.patch(`/api/v1/campaigns/${id}/tasks/${taskId}`, { status: 'finished' })).status,
    ).toBe(400);
    expect((await t.api.get(`/api/v1/campaigns/${id}/tasks`)).body.data).toHaveLength(1);
    // The campaign counts its tasks by status, alone and in the list.
    for (const status of ['pending', 'blocked', 'blocked'])
      await t.api.post(`/api/v1/campaigns/${id}/tasks`, { title: `A ${status} task`, status });
    const counts = {
      total: 4,
      byStatus: { pending: 1, in_progress: 0, completed: 1, cancelled: 0, blocked: 2 },
    };
    expect((await t.api.get(`/api/v1/campaigns/${id}`)).body.data.tasks).toEqual(counts);
    const listed = (await t.api.get('/api/v1/campaigns?limit=100')).body.data;
    expect(listed.find((c: { id: string }) => c.id === id).tasks).toEqual(counts);
    expect(listed.find((c: { id: string }) => c.id === campaignId).tasks.total).toBe(0);
    for (const task of (await t.api.get(`/api/v1/campaigns/${id}/tasks`)).body.data)
      if (task.id !== taskId) await t.api.delete(`/api/v1/campaigns/${id}/tasks/${task.id}`);
    expect((await t.api.delete(`/api/v1/campaigns/${id}/tasks/${taskId}`)).status).toBe(200);
    expect((await t.api.get(`/api/v1/campaigns/${id}/tasks`)).body.data).toHaveLength(0);
  });
});
