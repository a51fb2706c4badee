import { Scope } from '@app/common';
import { ExportPage, LeadFiltersQuery } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { leadFiltersSql } from '../leads/lead-filters';
import { LEADS_ENV, LeadsEnv } from '../leads-env';
import { copyOut, CopyOutClient, CopyOutResult } from '../sql/copy-out';
import { serverQuoted, SqlParams } from '../sql/sql-params';
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

// Same order as EXPORT_COLUMNS. Postgres renders the CSV itself (COPY … WITH (FORMAT csv)),
// so every cell is made here exactly what the export always wrote (csv-cells.ts):
// - a cell a spreadsheet would run as a formula (first character = + - @ tab CR, by code
//   point 61 43 45 64 9 13) gets a leading apostrophe, numbers included ('-5);
// - an empty string is written as nothing, like NULL (COPY alone would write "");
// - COPY then quotes exactly the cells csv-cells.ts quotes (comma, quote, CR, LF).
// Ids, timestamps and the consent boolean never start with one of those characters.
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const ts = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', ${ISO})`;
const cell = (c: string) =>
  `CASE WHEN ascii(${c}) IN (9, 13, 43, 45, 61, 64) THEN '''' || ${c} ELSE NULLIF(${c}, '') END`;
const SELECT = [
  'l.id',
  cell('l.email'),
  cell('l.first_name'),
  cell('l.last_name'),
  cell('l.company'),
  cell('l.phone'),
  cell('l.title'),
  cell('l.company_size::text'),
  cell('l.industry'),
  cell('l.country'),
  cell('l.source'),
  'l.campaign_id',
  cell('l.status'),
  cell('l.sales_stage'),
  cell('l.sales_rep'),
  cell('l.lead_score::text'),
  cell('l.engagement_score::text'),
  cell('l.interest_level'),
  cell('l.budget_range'),
  cell('l.timeline'),
  cell('l.utm_source'),
  cell('l.utm_medium'),
  cell('l.utm_campaign'),
  cell('l.timezone'),
  // ::text: COPY alone prints a boolean as t/f.
  'l.consent_email::text',
  cell('l.notes'),
  ts('l.follow_up_at'),
  cell('l.custom_fields::text'),
  ts('l.created_at'),
  ts('l.updated_at'),
].join(', ');

/** The slice of pg's Pool used here (the project has no @types/pg). */
interface PgPool {
  query(text: string, values: unknown[]): Promise<{ rows: { sql: string }[] }>;
  connect(): Promise<CopyOutClient & { release(err?: Error): void }>;
}

/**
 * CSV export one keyset page at a time (by id, on the (workspace_id, id) index): the gateway
 * asks for the next page while it writes the previous one, so neither side ever holds more
 * than a page or two, and a slow HTTP client slows the queries down instead of filling memory.
 * Each page is one `COPY (SELECT … LIMIT n) TO STDOUT WITH (FORMAT csv)`: Postgres renders and
 * neutralises the cells (SELECT above); this service only copies the bytes into one string.
 */
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
    const pool = (this.ds.driver as unknown as { master: PgPool }).master;
    const quoted = serverQuoted(
      `COPY (SELECT ${SELECT} FROM leads.leads l WHERE ${where}${after} ORDER BY l.id LIMIT ${limit}) TO STDOUT WITH (FORMAT csv)`,
      p.values,
    );
    const { rows } = await pool.query(quoted.text, quoted.values);
    const client = await pool.connect();
    let out: CopyOutResult;
    try {
      out = await copyOut(client, rows[0].sql);
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
    client.release();
    return {
      csv: out.data.toString('utf8'),
      rows: out.rows,
      // The first column is the id: 36 characters, never quoted.
      nextAfterId:
        out.rows === limit ? out.data.toString('latin1', out.lastRowAt, out.lastRowAt + 36) : null,
    };
  }
}
