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

/** The slice of pg's Pool used here (the project has no @types/pg). */
interface ArrayRowsPool {
  query(q: {
    text: string;
    values: unknown[];
    rowMode: 'array';
  }): Promise<{ rows: (string | null)[][] }>;
}

type Rows = (string | null)[][];

/** How long a prefetched page waits for the gateway to ask for it before it is dropped. */
const PREFETCH_TTL_MS = 30_000;
/** At most this many prefetched pages (one per running export) are held at once. */
const PREFETCH_MAX = 8;

/**
 * CSV export one keyset page at a time (by id, on the (workspace_id, id) index): the gateway
 * asks for the next page while it writes the previous one, so neither side ever holds the
 * whole file. Pages are rendered here, cells neutralised, and travel as one string.
 *
 * While a page is rendered and sent, the query of the page after it already runs (prefetch):
 * Postgres works on page n+1 while this process renders page n, instead of each waiting for
 * the other. A prefetched page is kept for the request that names its start (scope, filters
 * and afterId must match exactly) and dropped after PREFETCH_TTL_MS, e.g. when the client went
 * away or another replica got the request.
 */
@Injectable()
export class ExportService {
  private readonly prefetched = new Map<string, { rows: Promise<Rows>; at: number }>();

  constructor(
    private readonly ds: DataSource,
    @Inject(LEADS_ENV) private readonly env: LeadsEnv,
  ) {}

  header(): string {
    return csvRow(EXPORT_COLUMNS);
  }

  async page(scope: Scope, filters: LeadFiltersQuery, afterId?: string): Promise<ExportPage> {
    const limit = this.env.LEADS_EXPORT_PAGE_ROWS;
    const rows = await this.take(scope, filters, afterId);
    const nextAfterId = rows.length === limit ? (rows[rows.length - 1][0] as string) : null;
    if (nextAfterId) this.prefetch(scope, filters, nextAfterId);
    // One array join: a flat string at once, not a 10,000-deep concatenation to flatten later.
    const lines: string[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) lines[i] = csvTextRow(rows[i]);
    return { csv: lines.join(''), rows: rows.length, nextAfterId };
  }

  private take(scope: Scope, filters: LeadFiltersQuery, afterId?: string): Promise<Rows> {
    const key = prefetchKey(scope, filters, afterId);
    const hit = this.prefetched.get(key);
    if (hit) {
      this.prefetched.delete(key);
      return hit.rows;
    }
    return this.query(scope, filters, afterId);
  }

  private prefetch(scope: Scope, filters: LeadFiltersQuery, afterId: string): void {
    const now = Date.now();
    for (const [key, entry] of this.prefetched)
      if (now - entry.at > PREFETCH_TTL_MS || this.prefetched.size >= PREFETCH_MAX)
        this.prefetched.delete(key);
    const rows = this.query(scope, filters, afterId);
    // A failure is reported to the request that takes the page; unclaimed, it is just dropped.
    rows.catch(() => undefined);
    this.prefetched.set(prefetchKey(scope, filters, afterId), { rows, at: now });
  }

  private async query(scope: Scope, filters: LeadFiltersQuery, afterId?: string): Promise<Rows> {
    const p = new SqlParams();
    const where = leadFiltersSql(scope, filters, p);
    const after = afterId ? ` AND l.id > ${p.add(afterId, 'uuid')}` : '';
    // Straight to the pg pool for rowMode 'array': no per-row objects on a million-row export.
    const pool = (this.ds.driver as unknown as { master: ArrayRowsPool }).master;
    const { rows } = await pool.query({
      text: `SELECT ${SELECT} FROM leads.leads l WHERE ${where}${after} ORDER BY l.id LIMIT ${p.add(this.env.LEADS_EXPORT_PAGE_ROWS)}`,
      values: p.values,
      rowMode: 'array',
    });
    return rows;
  }
}

const prefetchKey = (scope: Scope, filters: LeadFiltersQuery, afterId?: string): string =>
  JSON.stringify([scope.tenantId, scope.workspaceId, filters, afterId ?? null]);
