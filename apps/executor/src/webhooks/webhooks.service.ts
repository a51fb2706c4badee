import { NotFoundError, Scope } from '@app/common';
import {
  CreateWebhookDto,
  RotateWebhookSecretDto,
  UpdateWebhookDto,
  WebhookDeliveryView,
  WebhookView,
} from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv, outboundPolicy } from '../config';
import { checkOutboundUrl } from './outbound-url';
import { SecretBox } from './secret-box';

interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  active: boolean;
  previous_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, url, events, description, active, previous_expires_at, created_at, updated_at';

const toView = (r: WebhookRow, secret?: string): WebhookView => ({
  id: r.id,
  url: r.url,
  events: r.events,
  description: r.description,
  active: r.active,
  ...(secret ? { secret } : {}),
  secretRotation:
    r.previous_expires_at && r.previous_expires_at > new Date()
      ? { previousExpiresAt: r.previous_expires_at.toISOString() }
      : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Webhook CRUD for a workspace; secrets are sealed at rest and shown only when issued. */
@Injectable()
export class WebhooksService {
  readonly box: SecretBox;

  constructor(
    private readonly ds: DataSource,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {
    this.box = new SecretBox(env.WEBHOOK_SECRET_KEY);
  }

  async list(scope: Scope): Promise<WebhookView[]> {
    const rows: WebhookRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM executor.webhooks WHERE tenant_id = $1 AND workspace_id = $2 ORDER BY created_at`,
      [scope.tenantId, scope.workspaceId],
    );
    return rows.map((r) => toView(r));
  }

  async get(scope: Scope, id: string): Promise<WebhookView> {
    return toView(await this.find(scope, id));
  }

  async create(scope: Scope, dto: CreateWebhookDto): Promise<WebhookView> {
    await this.checkUrl(dto.url);
    const secret = dto.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    const [row] = await this.ds.query(
      `INSERT INTO executor.webhooks (tenant_id, workspace_id, url, events, description, secret_sealed)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [
        scope.tenantId,
        scope.workspaceId,
        dto.url,
        dto.events,
        dto.description ?? null,
        this.box.seal(secret),
      ],
    );
    return toView(row, secret);
  }

  async update(scope: Scope, id: string, dto: UpdateWebhookDto): Promise<WebhookView> {
    const current = await this.find(scope, id);
    if (dto.url) await this.checkUrl(dto.url);
    const [[row]] = await this.ds.query(
      `UPDATE executor.webhooks SET url = $3, events = $4, description = $5, active = $6, updated_at = now()
        WHERE id = $1 AND workspace_id = $2 RETURNING ${COLUMNS}`,
      [
        id,
        scope.workspaceId,
        dto.url ?? current.url,
        dto.events ?? current.events,
        dto.description ?? current.description,
        dto.active ?? current.active,
      ],
    );
    return toView(row);
  }

  async remove(scope: Scope, id: string): Promise<{ id: string; message: string }> {
    await this.find(scope, id);
    await this.ds.query('DELETE FROM executor.webhooks WHERE id = $1 AND workspace_id = $2', [
      id,
      scope.workspaceId,
    ]);
    return { id, message: 'Webhook deleted' };
  }

  /** New secret now; the old one keeps signing (second v1) until the overlap ends. */
  async rotate(scope: Scope, id: string, dto: RotateWebhookSecretDto): Promise<WebhookView> {
    await this.find(scope, id);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const [[row]] = await this.ds.query(
      `UPDATE executor.webhooks
          SET previous_secret_sealed = secret_sealed, secret_sealed = $3,
              previous_expires_at = now() + $4 * interval '1 second', updated_at = now()
        WHERE id = $1 AND workspace_id = $2 RETURNING ${COLUMNS}`,
      [id, scope.workspaceId, this.box.seal(secret), dto.overlapSeconds ?? 86400],
    );
    return toView(row, secret);
  }

  async deliveries(scope: Scope, id: string, limit = 50): Promise<WebhookDeliveryView[]> {
    await this.find(scope, id);
    const rows = await this.ds.query(
      `SELECT id, event_id, event_type, status, attempts, last_status, last_error, created_at, updated_at
         FROM executor.webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC LIMIT $2`,
      [id, Math.min(Math.max(limit, 1), 200)],
    );
    return rows.map((r: Record<string, never>) => ({
      id: r.id,
      eventId: r.event_id,
      eventType: r.event_type,
      status: r.status,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      createdAt: (r.created_at as Date).toISOString(),
      updatedAt: (r.updated_at as Date).toISOString(),
    }));
  }

  private async find(scope: Scope, id: string): Promise<WebhookRow> {
    const rows: WebhookRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM executor.webhooks WHERE id = $1 AND tenant_id = $2 AND workspace_id = $3`,
      [id, scope.tenantId, scope.workspaceId],
    );
    if (!rows[0]) throw new NotFoundError('Webhook', id);
    return rows[0];
  }

  private async checkUrl(url: string): Promise<void> {
    await checkOutboundUrl(url, outboundPolicy(this.env), 'url', 'WEBHOOK_URL_BLOCKED');
  }
}
