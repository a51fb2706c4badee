import { adminCli, Api, createTenant, TestTenant, uniqueSlug } from '@app/testing';

describe('API keys and tenants', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTenant('auth');
  });

  it('the CLI creates tenant and workspace and prints the key alone on its last line', async () => {
    const tenant = uniqueSlug('cli');
    const out = await adminCli(['api-key', 'create', '--tenant', tenant, '--workspace', 'growth']);
    expect(out.lastLine).toMatch(/^cpk_[a-z0-9]{12}_[A-Za-z0-9_-]{40}$/);
    expect(out.stdout.trim().split('\n')).toHaveLength(1);
    const res = await new Api(out.lastLine).get('/api/v1/campaigns');
    expect(res.status).toBe(200);
    // Running it again for the same tenant and workspace reuses them.
    const again = await adminCli([
      'api-key',
      'create',
      '--tenant',
      tenant,
      '--workspace',
      'growth',
    ]);
    expect(again.stderr).toContain(`${tenant}/growth`);
    expect(again.lastLine).not.toBe(out.lastLine);
  });

  it.each([
    ['missing', undefined, 'no Authorization header'],
    ['malformed', 'Basic abc', 'expected "Authorization: Bearer <key>"'],
    ['not a key', 'Bearer nonsense', 'malformed key'],
    ['unknown', `Bearer cpk_${'a'.repeat(12)}_${'b'.repeat(40)}`, 'unknown key'],
  ])('answers 401 for a %s key', async (_label, header, reason) => {
    const headers: Record<string, string> = header ? { authorization: header } : {};
    const res = await new Api().get('/api/v1/campaigns', headers);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
    expect(res.body.message).toContain(reason);
  });

  it('lists keys by prefix only and never returns the key or its hash', async () => {
    const res = await t.api.get('/api/v1/api-keys');
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThanOrEqual(1);
    expect(res.text).not.toContain(t.key);
    expect(res.text).not.toMatch(/hash/i);
    expect(res.body.data[0].prefix).toBe(t.key.slice(0, 16));
  });

  it('revoked keys get 401 immediately', async () => {
    const created = await t.api.post('/api/v1/api-keys', { name: 'temp' });
    expect(created.status).toBe(201);
    const temp = new Api(created.body.data.key);
    expect((await temp.get('/api/v1/campaigns')).status).toBe(200);
    const revoked = await t.api.delete(`/api/v1/api-keys/${created.body.data.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.data.revokedAt).toBeTruthy();
    const after = await temp.get('/api/v1/campaigns');
    expect(after.status).toBe(401);
    expect(after.body.message).toContain('revoked');
  });

  it('keeps admin routes for admin keys and workspace routes for workspace keys', async () => {
    expect((await t.api.get('/api/v1/admin/workspaces')).status).toBe(403);
    const list = await t.admin.get('/api/v1/admin/workspaces');
    expect(list.status).toBe(200);
    expect(list.body.data.map((w: { slug: string }) => w.slug)).toEqual(['main']);
    const asAdmin = await t.admin.get('/api/v1/campaigns');
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body.error.code).toBe('WORKSPACE_REQUIRED');
  });

  it('refuses a duplicate workspace slug and a bad slug', async () => {
    expect((await t.admin.post('/api/v1/admin/workspaces', { slug: 'main' })).status).toBe(409);
    const bad = await t.admin.post('/api/v1/admin/workspaces', { slug: 'Not A Slug' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('slug');
  });

  it('a tenant admin cannot revoke or key another tenant’s workspace', async () => {
    const other = await createTenant('auth-other');
    const keys = await other.api.get('/api/v1/api-keys');
    const foreignKeyId = keys.body.data[0].id;
    expect((await t.admin.delete(`/api/v1/admin/api-keys/${foreignKeyId}`)).status).toBe(404);
    expect(
      (await t.admin.post(`/api/v1/admin/workspaces/${other.workspaceId}/api-keys`, { name: 'x' }))
        .status,
    ).toBe(404);
    expect((await other.api.get('/api/v1/campaigns')).status).toBe(200);
  });

  it('echoes a request id on every response', async () => {
    const res = await t.api.get('/api/v1/campaigns', { 'x-request-id': 'trace-abc-123' });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
    const generated = await new Api().get('/api/v1/campaigns');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.body.error.requestId).toBe(generated.headers.get('x-request-id'));
  });
});
