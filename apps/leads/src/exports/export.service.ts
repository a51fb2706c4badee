import { Scope } from '@app/common';
import { ExportPage, LeadFiltersQuery } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { leadFiltersSql } from '../leads/lead-filters';
import { LEADS_ENV, LeadsEnv } from '../leads-env';
import { SqlParams } from '../sql/sql-params';
import { csvRow, csvTextRow } from './csv-cells';

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

// Same order as EXPORT_COLUMNS. Everything is cast to text in SQL so the driver parses no
// dates, numbers or JSON only for us to print them again.
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const ts = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', ${ISO})`;
const SELECT = [
  'l.id::text',
  'l.email',
  'l.first_name',
  'l.last_name',
  'l.company',
  'l.phone',
  'l.title',
  'l.company_size::text',
  'l.industry',
  'l.country',
  'l.source',
  'l.campaign_id::text',
  'l.status',
  'l.sales_stage',
  'l.sales_rep',
  'l.lead_score::text',
  'l.engagement_score::text',
  'l.interest_level',
  'l.budget_range',
  'l.timeline',
  'l.utm_source',
  'l.utm_medium',
  'l.utm_campaign',
  'l.timezone',
  'l.consent_email::text',
  'l.notes',
  ts('l.follow_up_at'),
  'l.custom_fields::text',
  ts('l.created_at'),
  ts('l.updated_at'),
].join(', ');

/**
 * CSV export one keyset page at a time (by id, on the (workspace_id, id) index): the gateway
 * asks for the next page while it writes the previous one, so neither side ever holds the
 * whole file. Pages are rendered here, cells neutralised, and travel as one string.
 */
/** The slice of pg's Pool used here (the project has no @types/pg). */
interface ArrayRowsPool {
  query(q: {
    text: string;
    values: unknown[];
    rowMode: 'array';
  }): Promise<{ rows: (string | null)[][] }>;
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
    // One array join: a flat string at once, not a 10,000-deep concatenation to flatten later.
    const lines: string[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) lines[i] = csvTextRow(rows[i]);
    return {
      csv: lines.join(''),
      rows: rows.length,
      nextAfterId: rows.length === limit ? (rows[rows.length - 1][0] as string) : null,
    };
  }
}
