import { Scope } from '@app/common';
import { CaptureLeadDto, CaptureResult, LeadEventTypes, LeadView } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { joinCampaign } from './campaign-members';
import { emailHash, normalizeEmail } from './email';
import { LeadEvents } from './lead-events';
import { columnOf, flattenLeadInput } from './lead-input';
import { LEAD_SELECT, LeadRow, toContactData, toLeadView } from './lead-row';

/** Fields a later capture never overwrites: first-touch attribution stays with the lead. */
const FIRST_TOUCH = new Set(['source', 'campaignId']);

/**
 * `POST /leads`: insert, or merge into the workspace's lead with the same normalised email.
 * The unique index decides under concurrency (ON CONFLICT), never a read-then-insert.
 */
@Injectable()
export class LeadCaptureService {
  constructor(
    private readonly ds: DataSource,
    private readonly events: LeadEvents,
  ) {}

  async capture(scope: Scope, dto: CaptureLeadDto): Promise<CaptureResult> {
    const input = flattenLeadInput(dto);
    const email = dto.contact.email.trim();
    const normalized = normalizeEmail(email);
    const result = await this.ds.transaction(async (m) => {
      const cols = ['tenant_id', 'workspace_id', 'email', 'email_normalized', 'email_hash'];
      const vals: unknown[] = [scope.tenantId, scope.workspaceId, email, normalized];
      vals.push(emailHash(scope.workspaceId, normalized));
      for (const [field, value] of Object.entries(input.fields)) {
        cols.push(columnOf(field));
        vals.push(value);
      }
      for (const [column, value] of [
        ['status', input.status],
        ['notes', input.notes],
      ]) {
        if (!value) continue;
        cols.push(column as string);
        vals.push(value);
      }
      if (input.consent) {
        cols.push('consent_email', 'consent_source', 'consent_at');
        vals.push(input.consent.email, input.consent.source ?? null, new Date());
      }
      cols.push('custom_fields');
      vals.push(JSON.stringify(input.customFields ?? {}));
      const placeholders = vals.map((_, i) => `$${i + 1}`).join(', ');
      const inserted: { id: string }[] = await m.query(
        `INSERT INTO leads.leads (${cols.join(', ')}) VALUES (${placeholders})
         ON CONFLICT (workspace_id, email_normalized) DO NOTHING RETURNING id`,
        vals,
      );
      if (inserted.length) {
        const id = inserted[0].id;
        await m.query(
          `INSERT INTO leads.status_history (tenant_id, workspace_id, lead_id, from_status, to_status, note)
           VALUES ($1, $2, $3, NULL, $4, 'captured')`,
          [scope.tenantId, scope.workspaceId, id, input.status ?? 'new'],
        );
        await this.joinCampaign(m, scope, input, id);
        return this.finish(m, scope, id, false, []);
      }
      return this.merge(m, scope, normalized, input);
    });
    this.events.flush();
    return result;
  }

  private async joinCampaign(
    m: EntityManager,
    scope: Scope,
    input: ReturnType<typeof flattenLeadInput>,
    leadId: string,
  ): Promise<void> {
    const campaignId = input.fields.campaignId as string | undefined;
    if (campaignId) await joinCampaign(m, scope, campaignId, leadId);
  }

  private async merge(
    m: EntityManager,
    scope: Scope,
    normalized: string,
    input: ReturnType<typeof flattenLeadInput>,
  ): Promise<CaptureResult> {
    const [row]: LeadRow[] = await m.query(
      `SELECT * FROM leads.leads WHERE tenant_id = $1 AND workspace_id = $2 AND email_normalized = $3 FOR UPDATE`,
      [scope.tenantId, scope.workspaceId, normalized],
    );
    // Attribution keeps the first campaign; the lead joins this one too (listed under both).
    await this.joinCampaign(m, scope, input, row.id);
    const sets: string[] = [];
    const vals: unknown[] = [];
    const changed: string[] = [];
    const set = (field: string, column: string, value: unknown) => {
      vals.push(value);
      sets.push(`${column} = $${vals.length}`);
      changed.push(field);
    };
    for (const [field, value] of Object.entries(input.fields)) {
      const current = (row as unknown as Record<string, unknown>)[columnOf(field)];
      if (FIRST_TOUCH.has(field) && current !== null) continue;
      if (value !== current) set(field, columnOf(field), value);
    }
    if (input.notes && input.notes !== row.notes) set('notes', 'notes', input.notes);
    if (input.consent && input.consent.email !== row.consent_email) {
      set('consent', 'consent_email', input.consent.email);
      vals.push(input.consent.source ?? null);
      sets.push(`consent_source = $${vals.length}, consent_at = now()`);
    }
    if (input.customFields) {
      const merged = { ...row.custom_fields, ...input.customFields };
      if (JSON.stringify(merged) !== JSON.stringify(row.custom_fields))
        set('customFields', 'custom_fields', JSON.stringify(merged));
    }
    if (sets.length) {
      vals.push(row.id);
      await m.query(
        `UPDATE leads.leads SET ${sets.join(', ')}, updated_at = now() WHERE id = $${vals.length}`,
        vals,
      );
    }
    return this.finish(m, scope, row.id, true, changed);
  }

  private async finish(
    m: EntityManager,
    scope: Scope,
    id: string,
    merged: boolean,
    mergedFields: string[],
  ): Promise<CaptureResult> {
    const [row]: LeadRow[] = await m.query(`SELECT ${LEAD_SELECT} WHERE l.id = $1`, [id]);
    await this.events.emit(m, scope, LeadEventTypes.captured, id, {
      leadId: id,
      source: row.source,
      campaignId: row.campaign_id,
      merged,
      mergedFields,
      status: row.status,
      contact: toContactData(row),
    });
    const lead = toLeadView(row);
    return {
      leadId: id,
      status: merged ? 'merged' : 'captured',
      merged,
      mergedFields,
      lead,
      crmSync: {
        status: 'not_configured',
        message: 'No CRM integration is configured; lead.captured was published on lead.events',
      },
      nextActions: nextActions(lead),
    };
  }
}

/** What a sales or marketing user would do next with this lead, from its state. */
export function nextActions(lead: LeadView): string[] {
  if (lead.suppression) return [`none: address suppressed (${lead.suppression.reason})`];
  const actions: string[] = [];
  // Missing consent is worth collecting even where the workspace's mode implies it.
  if (lead.consent.email !== true) actions.push('collect_consent');
  if (!lead.salesRep && (lead.qualification.leadScore ?? 0) >= 70)
    actions.push('assign_to_sales_rep');
  if (lead.campaignId && lead.consent.email !== false) actions.push('trigger_nurture_sequence');
  if (!lead.followUpDate) actions.push('schedule_follow_up');
  return actions;
}
