import { generateApiKey, hashApiKey, hashesMatch, parseApiKey } from '@app/auth';
import { DomainError, NotFoundError, ConflictError } from '@app/common';
import { ApiKeyView, CreatedApiKey, ResolvedKey, WorkspaceView } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { TenantEntity } from './tenant.entity';
import { WorkspaceEntity } from './workspace.entity';

export class InvalidApiKeyError extends DomainError {
  constructor(reason: string) {
    super('UNAUTHORIZED', `Invalid or missing API key: ${reason}`, 401);
  }
}

export const toWorkspaceView = (w: WorkspaceEntity): WorkspaceView => ({
  id: w.id,
  tenantId: w.tenantId,
  slug: w.slug,
  name: w.name,
  createdAt: w.createdAt.toISOString(),
});

export const toKeyView = (k: ApiKeyEntity): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: `cpk_${k.prefix}`,
  scope: k.scope,
  workspaceId: k.workspaceId,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

/** Tenants own workspaces; API keys belong to a workspace, or to a tenant for admin keys. */
@Injectable()
export class AccountsService {
  constructor(private readonly ds: DataSource) {}

  async resolveKey(key: string): Promise<ResolvedKey> {
    const parsed = parseApiKey(key);
    if (!parsed) throw new InvalidApiKeyError('malformed key');
    const row = await this.ds.getRepository(ApiKeyEntity).findOneBy({ prefix: parsed.prefix });
    if (!row || !hashesMatch(row.keyHash, hashApiKey(key)))
      throw new InvalidApiKeyError('unknown key');
    if (row.revokedAt) throw new InvalidApiKeyError('key revoked');
    // Coarse on purpose: at most one write a minute per key, not one per request.
    await this.ds.query(
      `UPDATE campaigns.api_keys SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [row.id],
    );
    return {
      apiKeyId: row.id,
      tenantId: row.tenantId,
      workspaceId: row.workspaceId,
      admin: row.scope === 'admin',
    };
  }

  /** Used by the operators' CLI: creates the tenant and workspace when missing. */
  async ensureTenant(slug: string, m: EntityManager = this.ds.manager): Promise<TenantEntity> {
    const repo = m.getRepository(TenantEntity);
    await m.query(
      `INSERT INTO campaigns.tenants (slug, name) VALUES ($1, $1) ON CONFLICT (slug) DO NOTHING`,
      [slug],
    );
    return repo.findOneByOrFail({ slug });
  }

  async ensureWorkspace(tenantId: string, slug: string, name?: string): Promise<WorkspaceEntity> {
    const existing = await this.ds.getRepository(WorkspaceEntity).findOneBy({ tenantId, slug });
    if (existing) return existing;
    return this.createWorkspace(tenantId, slug, name).then((view) =>
      this.ds.getRepository(WorkspaceEntity).findOneByOrFail({ id: view.id }),
    );
  }

  async createWorkspace(tenantId: string, slug: string, name?: string): Promise<WorkspaceView> {
    const rows: WorkspaceEntity[] = await this.ds.query(
      `INSERT INTO campaigns.workspaces (tenant_id, slug, name) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, slug) DO NOTHING
       RETURNING id`,
      [tenantId, slug, name ?? slug],
    );
    if (!rows.length)
      throw new ConflictError('WORKSPACE_EXISTS', `Workspace "${slug}" already exists`);
    return toWorkspaceView(
      await this.ds.getRepository(WorkspaceEntity).findOneByOrFail({ id: rows[0].id }),
    );
  }

  async listWorkspaces(tenantId: string): Promise<WorkspaceView[]> {
    const rows = await this.ds
      .getRepository(WorkspaceEntity)
      .find({ where: { tenantId }, order: { createdAt: 'ASC' } });
    return rows.map(toWorkspaceView);
  }

  async getWorkspace(tenantId: string, workspaceId: string): Promise<WorkspaceEntity> {
    const ws = await this.ds
      .getRepository(WorkspaceEntity)
      .findOneBy({ tenantId, id: workspaceId });
    if (!ws) throw new NotFoundError('Workspace', workspaceId);
    return ws;
  }

  async createKey(
    tenantId: string,
    workspaceId: string | null,
    name: string,
  ): Promise<CreatedApiKey> {
    if (workspaceId) await this.getWorkspace(tenantId, workspaceId);
    const generated = generateApiKey();
    const repo = this.ds.getRepository(ApiKeyEntity);
    const saved = await repo.save(
      repo.create({
        tenantId,
        workspaceId,
        name,
        scope: workspaceId ? 'workspace' : 'admin',
        prefix: generated.prefix,
        keyHash: generated.hash,
      }),
    );
    return { ...toKeyView(saved), key: generated.key };
  }

  /** Admin keys see every key of their tenant; workspace keys see their workspace's keys. */
  async listKeys(tenantId: string, workspaceId: string | null): Promise<ApiKeyView[]> {
    const where = workspaceId ? { tenantId, workspaceId } : { tenantId };
    const rows = await this.ds
      .getRepository(ApiKeyEntity)
      .find({ where, order: { createdAt: 'ASC' } });
    return rows.map(toKeyView);
  }

  async revokeKey(
    tenantId: string,
    workspaceId: string | null,
    keyId: string,
  ): Promise<ApiKeyView> {
    const repo = this.ds.getRepository(ApiKeyEntity);
    const where = workspaceId ? { id: keyId, tenantId, workspaceId } : { id: keyId, tenantId };
    const row = await repo.findOneBy(where);
    if (!row) throw new NotFoundError('API key', keyId);
    if (!row.revokedAt) {
      await repo.update({ id: row.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    }
    return toKeyView(await repo.findOneByOrFail({ id: row.id }));
  }
}
