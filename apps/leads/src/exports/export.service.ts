import { RequestContext, Scope } from '@app/common';
import { LeadFiltersQuery } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { leadFiltersSql } from '../leads/lead-filters';
import { LEADS_ENV, LeadsEnv } from '../leads-env';
import { ChunkPool, copyQueryOut, nextAfterId } from '../sql/copy-out';
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

// Same order as EXPORT_COLUMNS. Postgres renders the CSV itself (COPY … WITH (FORMAT csv)),
// so every cell is made here exactly what the export always wrote (csv-cells.ts):
// - a cell a spreadsheet would run as a formula (first character = + - @ tab CR, by code
//   point 61 43 45 64 9 13) gets a leading apostrophe, numbers included ('-5);
// - an empty string is written as nothing, like NULL (COPY alone would write "");
// - COPY then quotes exactly the cells csv-cells.ts quotes (comma, quote, CR, LF).
// Ids, timestamps and the consent boolean never start with one of those characters.
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const ts = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', ${ISO})`;
// Most cells start with a letter (code point above 64, past every formula character): one
// ascii() and one comparison, and the column itself; only the rest take the full test.
const cell = (c: string) =>
  `CASE WHEN ascii(${c}) > 64 THEN ${c} WHEN ascii(${c}) IN (9, 13, 43, 45, 61, 64) THEN '''' || ${c} ELSE NULLIF(${c}, '') END`;
// An integer's text starts with a formula character only when it is negative (the '-').
const int = (c: string) => `CASE WHEN ${c} < 0 THEN '''' || ${c} ELSE ${c}::text END`;
const SELECT = [
  'l.id',
  cell('l.email'),
  cell('l.first_name'),
  cell('l.last_name'),
  cell('l.company'),
  cell('l.phone'),
  cell('l.title'),
  int('l.company_size'),
  cell('l.industry'),
  cell('l.country'),
  cell('l.source'),
  'l.campaign_id',
  cell('l.status'),
  cell('l.sales_stage'),
  cell('l.sales_rep'),
  int('l.lead_score'),
  int('l.engagement_score'),
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

/** What a ticket stands for: the caller's scope and filters, checked when it was issued. */
interface ExportGrant {
  ctx: RequestContext;
  scope: Scope;
  filters: LeadFiltersQuery;
  expiresAt: number;
}

/** A ticket is good for one stream, started within this long after it was issued. */
const TICKET_TTL_MS = 30_000;

/**
 * CSV export: the gateway opens an export over RPC (`open`: scope and filters checked, a
 * one-time ticket returned) and then reads the bytes over HTTP from this service
 * (`export-stream.controller.ts`), which writes the header and then one keyset page after
 * another (by id, on the (workspace_id, id) index). Each page is one
 * `COPY (SELECT … LIMIT n) TO STDOUT WITH (FORMAT csv)`: Postgres renders and neutralises the
 * cells (SELECT above) and the rows go to the socket in large chunks as they arrive.
 */
@Injectable()
export class ExportService {
  private readonly grants = new Map<string, ExportGrant>();

  constructor(
    private readonly ds: DataSource,
    @Inject(LEADS_ENV) private readonly env: LeadsEnv,
  ) {}

  header(): Buffer {
    return Buffer.from(csvRow(EXPORT_COLUMNS));
  }

  /** Checks the filters (a bad one is an error now, as JSON) and issues a one-time ticket. */
  open(ctx: RequestContext, scope: Scope, filters: LeadFiltersQuery): string {
    leadFiltersSql(scope, filters, new SqlParams());
    const now = Date.now();
    for (const [ticket, grant] of this.grants)
      if (grant.expiresAt < now) this.grants.delete(ticket);
    const ticket = randomBytes(24).toString('base64url');
    this.grants.set(ticket, { ctx, scope, filters, expiresAt: now + TICKET_TTL_MS });
    return ticket;
  }

  /** The grant of a ticket, once: a second use, or a late one, finds nothing. */
  redeem(ticket: string): ExportGrant | null {
    const grant = this.grants.get(ticket);
    this.grants.delete(ticket);
    return grant && grant.expiresAt >= Date.now() ? grant : null;
  }

  get pageRows(): number {
    return this.env.LEADS_EXPORT_PAGE_ROWS;
  }

  /**
   * One page after `afterId`, its rows handed to `sink` as they arrive (in `chunks`);
   * the id to continue after, or null on the last page.
   */
  async page(
    scope: Scope,
    filters: LeadFiltersQuery,
    afterId: string | undefined,
    sink: (chunk: Buffer) => void,
    chunks?: ChunkPool,
  ): Promise<{ rows: number; nextAfterId: string | null }> {
    const limit = this.env.LEADS_EXPORT_PAGE_ROWS;
    const p = new SqlParams();
    const where = leadFiltersSql(scope, filters, p);
    const after = afterId ? ` AND l.id > ${p.add(afterId, 'uuid')}` : '';
    const out = await copyQueryOut(
      this.ds,
      `COPY (SELECT ${SELECT} FROM leads.leads l WHERE ${where}${after} ORDER BY l.id LIMIT ${limit}) TO STDOUT WITH (FORMAT csv)`,
      p.values,
      sink,
      { pool: chunks },
    );
    return { rows: out.rows, nextAfterId: nextAfterId(out, limit) };
  }
}
