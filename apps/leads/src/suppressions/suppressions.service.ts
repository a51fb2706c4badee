import {
  buildPagination,
  ConflictError,
  NotFoundError,
  Paged,
  resolvePage,
  Scope,
  ValidationError,
} from '@app/common';
import {
  AddSuppressionDto,
  LeadEventTypes,
  ListSuppressionsQuery,
  SUPPRESSION_REASONS,
  SuppressionView,
} from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { emailHash, isPlausibleEmail, normalizeEmail } from '../leads/email';
import { LeadEvents } from '../leads/lead-events';

interface SuppressionRow {
  email: string | null;
  email_hash: string;
  reason: string;
  note: string | null;
  created_at: Date;
}

const toView = (r: SuppressionRow): SuppressionView => ({
  email: r.email,
  emailHash: r.email_hash,
  reason: r.reason,
  note: r.note,
  createdAt: r.created_at.toISOString(),
});

/**
 * The workspace's do-not-mail list, by hashed address so that it also covers erased people
 * and addresses that never were leads. Audiences and the send-time check read it.
 */
@Injectable()
export class SuppressionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly events: LeadEvents,
  ) {}

  async list(scope: Scope, q: ListSuppressionsQuery): Promise<Paged<SuppressionView>> {
    const { limit, offset } = resolvePage(q);
    const params: unknown[] = [scope.tenantId, scope.workspaceId];
    const where = `tenant_id = $1 AND workspace_id = $2${q.reason ? ' AND reason = $3' : ''}`;
    if (q.reason) params.push(q.reason);
    const [{ total }] = await this.ds.query(
      `SELECT count(*)::int AS total FROM leads.suppressions WHERE ${where}`,
      params,
    );
    const rows: SuppressionRow[] = await this.ds.query(
      `SELECT * FROM leads.suppressions WHERE ${where} ORDER BY created_at DESC, email_hash
       LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { items: rows.map(toView), pagination: buildPagination(total, limit, offset) };
  }

  /** Also called by the executor (unsubscribe, bounce, complaint), which skips the gateway's checks. */
  async add(scope: Scope, dto: AddSuppressionDto): Promise<SuppressionView> {
    if (
      !isPlausibleEmail(String(dto.email ?? '').trim()) ||
      !SUPPRESSION_REASONS.includes(dto.reason as never)
    )
      throw new ValidationError('A suppression needs an email and a reason', [
        {
          field: 'reason',
          message: `one of ${SUPPRESSION_REASONS.join(', ')}, with a valid email`,
        },
      ]);
    const view = await this.ds.transaction((m) =>
      this.suppress(m, scope, dto.email, dto.reason, dto.note ?? null),
    );
    this.events.flush();
    return view;
  }

  /** Shared with the engagement consumer: suppress (or re-reason) an address, emit the event. */
  async suppress(
    m: EntityManager,
    scope: Scope,
    email: string,
    reason: string,
    note: string | null,
  ): Promise<SuppressionView> {
    const normalized = normalizeEmail(email);
    const hash = emailHash(scope.workspaceId, normalized);
    // An erased address stays erased: its row keeps no email and is not re-reasoned.
    const [row]: SuppressionRow[] = await m.query(
      `INSERT INTO leads.suppressions (tenant_id, workspace_id, email_hash, email, reason, note)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, email_hash) DO UPDATE
         SET reason = EXCLUDED.reason, note = EXCLUDED.note, created_at = now()
         WHERE leads.suppressions.reason <> 'erased'
       RETURNING *`,
      [scope.tenantId, scope.workspaceId, hash, normalized, reason, note],
    );
    if (!row) {
      const [erased] = await m.query(
        `SELECT * FROM leads.suppressions WHERE workspace_id = $1 AND email_hash = $2`,
        [scope.workspaceId, hash],
      );
      return toView(erased);
    }
    const leadId = await this.leadIdOf(m, scope, normalized);
    await this.events.emit(m, scope, LeadEventTypes.suppressed, leadId ?? undefined, {
      leadId,
      email: normalized,
      emailHash: hash,
      reason,
    });
    return toView(row);
  }

  async remove(scope: Scope, email: string): Promise<{ email: string; message: string }> {
    if (!isPlausibleEmail(email.trim()))
      throw new ValidationError('Not an email address', [
        { field: 'email', message: 'must be an email' },
      ]);
    const normalized = normalizeEmail(email);
    const hash = emailHash(scope.workspaceId, normalized);
    await this.ds.transaction(async (m) => {
      const [row]: SuppressionRow[] = await m.query(
        `SELECT * FROM leads.suppressions WHERE tenant_id = $1 AND workspace_id = $2 AND email_hash = $3 FOR UPDATE`,
        [scope.tenantId, scope.workspaceId, hash],
      );
      if (!row) throw new NotFoundError('Suppression', normalized);
      if (row.reason === 'erased') {
        throw new ConflictError(
          'SUPPRESSION_ERASED',
          'An erased address stays suppressed for good',
          [{ field: 'email', message: 'this address was erased on request' }],
        );
      }
      await m.query(`DELETE FROM leads.suppressions WHERE workspace_id = $1 AND email_hash = $2`, [
        scope.workspaceId,
        hash,
      ]);
      const leadId = await this.leadIdOf(m, scope, normalized);
      await this.events.emit(m, scope, LeadEventTypes.unsuppressed, leadId ?? undefined, {
        leadId,
        email: normalized,
        emailHash: hash,
        reason: row.reason,
      });
    });
    this.events.flush();
    return { email: normalized, message: 'Suppression removed' };
  }

  private async leadIdOf(
    m: EntityManager,
    scope: Scope,
    normalized: string,
  ): Promise<string | null> {
    const [lead] = await m.query(
      `SELECT id FROM leads.leads WHERE tenant_id = $1 AND workspace_id = $2 AND email_normalized = $3`,
      [scope.tenantId, scope.workspaceId, normalized],
    );
    return lead?.id ?? null;
  }
}
