import {
  buildPagination,
  ConflictError,
  currentContext,
  NotFoundError,
  Paged,
  parseSort,
  resolvePage,
  Scope,
} from '@app/common';
import {
  LeadEventTypes,
  LeadStatus,
  LeadView,
  ListLeadsQuery,
  StatusChangeView,
  UpdateLeadDto,
} from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { memberOf } from './campaign-members';
import { SqlParams } from '../sql/sql-params';
import { emailHash, normalizeEmail } from './email';
import { LeadEvents } from './lead-events';
import { LEAD_SORTS, leadFiltersSql } from './lead-filters';
import { columnOf, flattenLeadInput } from './lead-input';
import { assertMove } from './lead-pipeline';
import { LEAD_SELECT, LeadRow, toContactData, toLeadView } from './lead-row';

/** Reads and edits of single leads and the list; every query is scoped to the workspace. */
@Injectable()
export class LeadsService {
  constructor(
    private readonly ds: DataSource,
    private readonly events: LeadEvents,
  ) {}

  async find(
    scope: Scope,
    id: string,
    campaignId?: string,
    m: EntityManager = this.ds.manager,
    lock = false,
  ): Promise<LeadRow> {
    const params = [id, scope.tenantId, scope.workspaceId];
    if (campaignId) params.push(campaignId);
    const [row]: LeadRow[] = await m.query(
      `SELECT ${lock ? 'l.*' : LEAD_SELECT} ${lock ? 'FROM leads.leads l' : ''}
       WHERE l.id = $1 AND l.tenant_id = $2 AND l.workspace_id = $3
       ${campaignId ? `AND ${memberOf('l.id', '$4')}` : ''} ${lock ? 'FOR UPDATE OF l' : ''}`,
      params,
    );
    if (!row) throw new NotFoundError('Lead', id);
    return row;
  }

  async get(scope: Scope, id: string, campaignId?: string): Promise<LeadView> {
    return toLeadView(await this.find(scope, id, campaignId));
  }

  async list(scope: Scope, q: ListLeadsQuery): Promise<Paged<LeadView>> {
    const { limit, offset } = resolvePage(q);
    const sort = parseSort(q.sort, LEAD_SORTS, '-createdAt');
    const p = new SqlParams();
    const where = leadFiltersSql(scope, q, p);
    const [{ total }] = await this.ds.query(
      `SELECT count(*)::int AS total FROM leads.leads l WHERE ${where}`,
      p.values,
    );
    const rows: LeadRow[] = await this.ds.query(
      `SELECT ${LEAD_SELECT} WHERE ${where}
       ORDER BY ${sort.column} ${sort.direction} NULLS LAST, l.id ${sort.direction}
       LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    return { items: rows.map(toLeadView), pagination: buildPagination(total, limit, offset) };
  }

  async update(
    scope: Scope,
    id: string,
    dto: UpdateLeadDto,
    campaignId?: string,
  ): Promise<LeadView> {
    await this.ds.transaction(async (m) => {
      const row = await this.find(scope, id, campaignId, m, true);
      const input = flattenLeadInput(dto);
      const sets: string[] = [];
      const vals: unknown[] = [];
      const changed: string[] = [];
      const set = (field: string, sql: (placeholder: string) => string, value: unknown) => {
        vals.push(value);
        sets.push(sql(`$${vals.length}`));
        changed.push(field);
      };
      const current = row as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(input.fields)) {
        if (value !== current[columnOf(field)])
          set(field, (v) => `${columnOf(field)} = ${v}`, value);
      }
      if (input.email && normalizeEmail(input.email) !== row.email_normalized) {
        await this.assertEmailFree(m, scope, input.email);
        const norm = normalizeEmail(input.email);
        vals.push(input.email.trim(), norm, emailHash(scope.workspaceId, norm));
        const n = vals.length;
        sets.push(`email = $${n - 2}, email_normalized = $${n - 1}, email_hash = $${n}`);
        changed.push('email');
      }
      if (input.notes !== undefined && input.notes !== row.notes)
        set('notes', (v) => `notes = ${v}`, input.notes);
      if (input.followUpDate !== undefined)
        set('followUpDate', (v) => `follow_up_at = ${v}`, new Date(input.followUpDate));
      if (input.consent && input.consent.email !== row.consent_email) {
        vals.push(input.consent.email, input.consent.source ?? null);
        sets.push(
          `consent_email = $${vals.length - 1}, consent_source = $${vals.length}, consent_at = now()`,
        );
        changed.push('consent');
      }
      if (input.customFields) {
        // A null value removes the key; everything else is merged over what is there.
        set(
          'customFields',
          (v) => `custom_fields = jsonb_strip_nulls(custom_fields || ${v}::jsonb)`,
          JSON.stringify(input.customFields),
        );
      }
      const statusChanged = input.status !== undefined && input.status !== row.status;
      if (statusChanged) {
        assertMove(row.status as LeadStatus, input.status as LeadStatus);
        vals.push(input.status);
        sets.push(`status = $${vals.length}`);
      }
      if (!sets.length) return;
      vals.push(id);
      await m.query(
        `UPDATE leads.leads SET ${sets.join(', ')}, updated_at = now() WHERE id = $${vals.length}`,
        vals,
      );
      const after = await this.find(scope, id, undefined, m);
      if (statusChanged) await this.recordStatus(m, scope, row, after, dto.statusNote);
      if (changed.length) {
        await this.events.emit(m, scope, LeadEventTypes.updated, id, {
          leadId: id,
          changed,
          contact: toContactData(after),
        });
      }
    });
    this.events.flush();
    return this.get(scope, id);
  }

  private async recordStatus(
    m: EntityManager,
    scope: Scope,
    before: LeadRow,
    after: LeadRow,
    note?: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO leads.status_history (tenant_id, workspace_id, lead_id, from_status, to_status, sales_stage, note, changed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        scope.tenantId,
        scope.workspaceId,
        after.id,
        before.status,
        after.status,
        after.sales_stage,
        note ?? null,
        currentContext()?.apiKeyId ?? null,
      ],
    );
    await this.events.emit(m, scope, LeadEventTypes.statusChanged, after.id, {
      leadId: after.id,
      from: before.status,
      to: after.status,
      salesStage: after.sales_stage,
      salesRep: after.sales_rep,
    });
  }

  private async assertEmailFree(m: EntityManager, scope: Scope, email: string): Promise<void> {
    const taken = await m.query(
      `SELECT 1 FROM leads.leads WHERE workspace_id = $1 AND email_normalized = $2`,
      [scope.workspaceId, normalizeEmail(email)],
    );
    if (taken.length) {
      throw new ConflictError('LEAD_EMAIL_TAKEN', 'Another lead in this workspace has that email', [
        { field: 'contact.email', message: 'already used by another lead' },
      ]);
    }
  }

  async history(scope: Scope, id: string, campaignId?: string): Promise<StatusChangeView[]> {
    await this.find(scope, id, campaignId);
    const rows = await this.ds.query(
      `SELECT * FROM leads.status_history WHERE lead_id = $1 AND workspace_id = $2 ORDER BY changed_at, id`,
      [id, scope.workspaceId],
    );
    return rows.map((r: Record<string, never>) => ({
      id: String(r.id),
      from: r.from_status,
      to: r.to_status,
      salesStage: r.sales_stage,
      note: r.note,
      changedBy: r.changed_by,
      changedAt: (r.changed_at as Date).toISOString(),
    }));
  }

  async remove(
    scope: Scope,
    id: string,
    campaignId?: string,
  ): Promise<{ id: string; message: string }> {
    await this.ds.transaction(async (m) => {
      const row = await this.find(scope, id, campaignId, m, true);
      await m.query(`DELETE FROM leads.leads WHERE id = $1`, [id]);
      await this.events.emit(m, scope, LeadEventTypes.deleted, id, {
        leadId: id,
        email: row.email,
      });
    });
    this.events.flush();
    return { id, message: 'Lead deleted' };
  }
}
