import { NotFoundError, Scope } from '@app/common';
import {
  AudienceContact,
  AudiencePage,
  AudienceRequest,
  SendableRequest,
  SendableResponse,
} from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsentPolicyService, consentedSql } from '../consent/consent-policy.service';
import { emailHash, normalizeEmail } from '../leads/email';
import { audienceFiltersSql } from '../segments/audience-filters';
import { SegmentRow, segmentCondition } from '../segments/segment-row';
import { copyQueryOut, nextAfterId } from '../sql/copy-out';
import { SqlParams } from '../sql/sql-params';

const MAX_PAGE = 50_000;
const SUPPRESSED = `EXISTS (SELECT 1 FROM leads.suppressions s
  WHERE s.workspace_id = l.workspace_id AND s.email_hash = l.email_hash)`;

/**
 * The executor's view of a campaign audience (LeadsRpc.resolveAudience): segments OR-ed,
 * filters AND-ed, suppressed and unconsented leads out, a deterministic sample in, walked
 * by id. This SQL is the hot path of enrollment, hence hand-written and in one place.
 */
@Injectable()
export class AudienceService {
  constructor(
    private readonly ds: DataSource,
    private readonly consent: ConsentPolicyService,
  ) {}

  async resolve(scope: Scope, req: AudienceRequest): Promise<AudiencePage> {
    const limit = Math.min(Math.max(req.limit ?? 1000, 1), MAX_PAGE);
    const segments = await this.segments(scope, req.segmentIds ?? []);
    const p = new SqlParams([scope.tenantId, scope.workspaceId]);
    const consented = consentedSql('l', p.add(await this.consent.impliedConsent(scope)));
    const conds = segments.map((s) => segmentCondition(s, p));
    const match = conds.length ? `(${conds.join(' OR ')})` : 'TRUE';
    const filters = audienceFiltersSql(req.filters, p);
    const pct = req.targetPercentage ?? 100;
    // md5 of salt + id: stable across runs and Postgres versions, uniform over 0..9999.
    const sampled =
      pct >= 100
        ? 'TRUE'
        : `(('x' || substr(md5(${p.add(req.sampleSalt ?? '')} || l.id::text), 1, 8))::bit(32)::bigint % 10000) < ${p.add(Math.round(pct * 100))}`;
    const base = `l.tenant_id = $1 AND l.workspace_id = $2 AND ${match} AND ${filters}`;

    // The page adds its own parameters after the shared ones, which the totals query reuses alone.
    const pageParams = new SqlParams(p.values);
    const segmentId = conds.length
      ? `CASE ${conds.map((c, i) => `WHEN ${c} THEN ${pageParams.add(segments[i].id)}::text`).join(' ')} END`
      : 'NULL::text';
    const after = req.afterId ? `AND l.id > ${pageParams.add(req.afterId, 'uuid')}` : '';
    // One statement for both formats: read by name as objects, by position as COPY text
    // (AUDIENCE_COPY_COLUMNS order).
    const select = `SELECT l.id, l.email, l.first_name, l.last_name, l.company, l.title, l.phone,
                           l.timezone, l.source, ${segmentId} AS segment_id, l.custom_fields
                      FROM leads.leads l
                     WHERE ${base} AND ${consented} AND NOT ${SUPPRESSED} AND ${sampled} ${after}
                     ORDER BY l.id LIMIT ${pageParams.add(limit)}`;
    // The first page also says how the audience breaks down; both queries run at once (two
    // pooled connections), so the first page is not held back by the count of the whole audience.
    const totals = req.afterId ? undefined : this.totals(base, consented, sampled, p.values);
    totals?.catch(() => undefined); // awaited below, after the page
    let page: AudiencePage;
    if (req.format === 'copy') {
      // Postgres writes the page's COPY text itself: no row object, no JSON, per contact here.
      const chunks: Buffer[] = [];
      const out = await copyQueryOut(
        this.ds,
        `COPY (${select}) TO STDOUT`,
        pageParams.values,
        (chunk) => chunks.push(chunk),
        { crlf: false },
      );
      page = {
        contacts: [],
        copy: { rows: out.rows, text: Buffer.concat(chunks).toString('utf8') },
        nextAfterId: nextAfterId(out, limit),
      };
    } else {
      const rows: AudienceRow[] = await this.ds.query(select, pageParams.values);
      page = {
        contacts: rows.map(toContact),
        nextAfterId: rows.length === limit ? rows[rows.length - 1].id : null,
      };
    }
    if (totals) page.totals = await totals;
    return page;
  }

  /**
   * The audience's breakdown in one pass. Suppression is a join (the list's key is unique, so
   * a lead matches at most one entry), not an EXISTS in the select list: Postgres ran that as
   * a subplan per lead, twice (once per FILTER), and the plan's cost switched JIT on. 1,000,000
   * leads: 2.16 s → 0.31 s (0.46 s with 50,000 suppressions), in parallel workers.
   */
  private async totals(base: string, consented: string, sampled: string, params: unknown[]) {
    const [t] = await this.ds.query(
      `SELECT count(*)::int AS matched,
              count(*) FILTER (WHERE supp)::int AS suppressed,
              count(*) FILTER (WHERE NOT supp AND NOT consented)::int AS unconsented,
              count(*) FILTER (WHERE NOT supp AND consented AND NOT sampled)::int AS sampled_out
         FROM (SELECT ${consented} AS consented, sup.email_hash IS NOT NULL AS supp, ${sampled} AS sampled
                 FROM leads.leads l
                 LEFT JOIN leads.suppressions sup
                   ON sup.workspace_id = l.workspace_id AND sup.email_hash = l.email_hash
                WHERE ${base}) a`,
      params,
    );
    return {
      matched: t.matched,
      eligible: t.matched - t.suppressed - t.unconsented - t.sampled_out,
      excluded: { suppressed: t.suppressed, unconsented: t.unconsented, sampledOut: t.sampled_out },
    };
  }

  private async segments(scope: Scope, ids: string[]): Promise<SegmentRow[]> {
    if (!ids.length) return [];
    const rows: SegmentRow[] = await this.ds.query(
      `SELECT * FROM leads.segments WHERE tenant_id = $1 AND workspace_id = $2 AND id::text = ANY($3::text[])`,
      [scope.tenantId, scope.workspaceId, ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const row = byId.get(id.toLowerCase());
      if (!row) throw new NotFoundError('Segment', id);
      return row;
    });
  }

  async sendable(scope: Scope, req: SendableRequest): Promise<SendableResponse> {
    const byNormalized = new Map<string, string>();
    for (const email of req.emails ?? []) byNormalized.set(normalizeEmail(email), email);
    const normalized = [...byNormalized.keys()];
    // A known lead not consented under the workspace's mode is blocked; unknown addresses are not.
    const rows = await this.ds.query(
      `SELECT i.email, s.reason
         FROM unnest($3::text[], $4::text[]) AS i(email, hash)
         LEFT JOIN leads.suppressions s ON s.workspace_id = $2 AND s.email_hash = i.hash
         LEFT JOIN leads.leads l ON l.tenant_id = $1 AND l.workspace_id = $2 AND l.email_normalized = i.email
        WHERE s.reason IS NOT NULL OR (l.id IS NOT NULL AND NOT ${consentedSql('l', '$5')})`,
      [
        scope.tenantId,
        scope.workspaceId,
        normalized,
        normalized.map((e) => emailHash(scope.workspaceId, e)),
        await this.consent.impliedConsent(scope),
      ],
    );
    return {
      blocked: rows.map((r: { email: string; reason: string | null }) => ({
        email: byNormalized.get(r.email)!,
        reason: (r.reason ?? 'no_consent') as SendableResponse['blocked'][number]['reason'],
      })),
    };
  }
}

/** An audience row as the executor's contact object. */
type AudienceRow = Record<string, never> & { id: string };

function toContact(r: AudienceRow): AudienceContact {
  return {
    id: r.id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    company: r.company,
    title: r.title,
    phone: r.phone,
    timezone: r.timezone,
    source: r.source,
    segmentId: r.segment_id,
    customFields: r.custom_fields,
  };
}
