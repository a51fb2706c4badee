import { Scope } from '@app/common';
import { ExportPage, LeadFiltersQuery } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { leadFiltersSql } from '../leads/lead-filters';
import { LEADS_ENV, LeadsEnv } from '../leads-env';
import { SqlParams } from '../sql/sql-params';
import { csvRow } from './csv-cells';

export const EXPORT_COLUMNS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'company',
  'phone',
  'title',
  'companySize',
  'industry',
  'country',
  'source',
  'campaignId',
  'status',
  'salesStage',
  'salesRep',
  'leadScore',
  'engagementScore',
  'interestLevel',
  'budgetRange',
  'timeline',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'timezone',
  'consent',
  'notes',
  'followUpDate',
  'customFields',
  'createdAt',
  'updatedAt',
];

// Same order as EXPORT_COLUMNS; selected as an array so rendering is a loop, not a mapper.
const SELECT = `l.id, l.email, l.first_name, l.last_name, l.company, l.phone, l.title, l.company_size,
  l.industry, l.country, l.source, l.campaign_id, l.status, l.sales_stage, l.sales_rep, l.lead_score,
  l.engagement_score, l.interest_level, l.budget_range, l.timeline, l.utm_source, l.utm_medium,
  l.utm_campaign, l.timezone, l.consent_email, l.notes, l.follow_up_at, l.custom_fields, l.created_at, l.updated_at`;

/**
 * CSV export one keyset page at a time (by id, on the (workspace_id, id) index): the gateway
 * asks for the next page while it writes the previous one, so neither side ever holds the
 * whole file. Pages are rendered here, cells neutralised, and travel as one string.
 */
/** The slice of pg's Pool used here (the project has no @types/pg). */
interface ArrayRowsPool {
  query(q: { text: string; values: unknown[]; rowMode: 'array' }): Promise<{ rows: unknown[][] }>;
}

@Injectable()
export class ExportService {
  constructor(
    private readonly ds: DataSource,
    @Inject(LEADS_ENV) private readonly env: LeadsEnv,
  ) {}

  header(): string {
    return csvRow(EXPORT_COLUMNS);
  }

  async page(scope: Scope, filters: LeadFiltersQuery, afterId?: string): Promise<ExportPage> {
    const limit = this.env.LEADS_EXPORT_PAGE_ROWS;
    const p = new SqlParams();
    const where = leadFiltersSql(scope, filters, p);
    const after = afterId ? ` AND l.id > ${p.add(afterId, 'uuid')}` : '';
    // Straight to the pg pool for rowMode 'array': no per-row objects on a million-row export.
    const pool = (this.ds.driver as unknown as { master: ArrayRowsPool }).master;
    const { rows } = await pool.query({
      text: `SELECT ${SELECT} FROM leads.leads l WHERE ${where}${after} ORDER BY l.id LIMIT ${p.add(limit)}`,
      values: p.values,
      rowMode: 'array',
    });
    let csv = '';
    for (const row of rows) csv += csvRow(row);
    return {
      csv,
      rows: rows.length,
      nextAfterId: rows.length === limit ? (rows[rows.length - 1][0] as string) : null,
    };
  }
}
