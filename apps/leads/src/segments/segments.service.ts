import {
  buildPagination,
  NotFoundError,
  Paged,
  resolvePage,
  Scope,
  ValidationError,
} from '@app/common';
import {
  CreateSegmentDto,
  LeadView,
  RULE_OPERATORS,
  SegmentCount,
  SegmentView,
  UpdateSegmentDto,
} from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { LEAD_FIELDS } from '../leads/lead-fields';
import { LEAD_SELECT, LeadRow, toLeadView } from '../leads/lead-row';
import { SqlParams } from '../sql/sql-params';
import { compileRule } from './rule-compiler';
import { SegmentRow, segmentCondition, toSegmentView } from './segment-row';

const WITH_COUNT = `s.*, CASE WHEN s.type = 'static'
  THEN (SELECT count(*)::int FROM leads.segment_members m WHERE m.segment_id = s.id) END AS member_count`;

@Injectable()
export class SegmentsService {
  constructor(private readonly ds: DataSource) {}

  async find(scope: Scope, id: string, m: EntityManager = this.ds.manager): Promise<SegmentRow> {
    const [row]: SegmentRow[] = await m.query(
      `SELECT ${WITH_COUNT} FROM leads.segments s WHERE s.id = $1 AND s.tenant_id = $2 AND s.workspace_id = $3`,
      [id, scope.tenantId, scope.workspaceId],
    );
    if (!row) throw new NotFoundError('Segment', id);
    return row;
  }

  view(row: SegmentRow): SegmentView {
    return toSegmentView(row);
  }

  async list(scope: Scope, q: { page?: number; limit?: number }): Promise<Paged<SegmentView>> {
    const { limit, offset } = resolvePage(q);
    const [{ total }] = await this.ds.query(
      `SELECT count(*)::int AS total FROM leads.segments WHERE tenant_id = $1 AND workspace_id = $2`,
      [scope.tenantId, scope.workspaceId],
    );
    const rows: SegmentRow[] = await this.ds.query(
      `SELECT ${WITH_COUNT} FROM leads.segments s WHERE s.tenant_id = $1 AND s.workspace_id = $2
       ORDER BY s.created_at DESC, s.id LIMIT $3 OFFSET $4`,
      [scope.tenantId, scope.workspaceId, limit, offset],
    );
    return { items: rows.map(toSegmentView), pagination: buildPagination(total, limit, offset) };
  }

  async create(scope: Scope, dto: CreateSegmentDto): Promise<SegmentView> {
    const type = dto.type ?? 'dynamic';
    if (type === 'dynamic') {
      if (!dto.rules) throw invalid('rules', 'a dynamic segment needs rules');
      if (dto.leadIds) throw invalid('leadIds', 'only static segments have explicit members');
      compileRule(dto.rules, new SqlParams());
    } else if (dto.rules) {
      throw invalid('rules', 'a static segment has members, not rules');
    }
    const id = await this.ds.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO leads.segments (tenant_id, workspace_id, name, description, type, rules)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          scope.tenantId,
          scope.workspaceId,
          dto.name,
          dto.description ?? null,
          type,
          dto.rules ?? null,
        ],
      );
      if (dto.leadIds?.length) await this.insertMembers(m, scope, row.id, dto.leadIds);
      return row.id as string;
    });
    return toSegmentView(await this.find(scope, id));
  }

  async update(scope: Scope, id: string, dto: UpdateSegmentDto): Promise<SegmentView> {
    const current = await this.find(scope, id);
    if (dto.rules) {
      if (current.type === 'static')
        throw invalid('rules', 'a static segment has members, not rules');
      compileRule(dto.rules, new SqlParams());
    }
    await this.ds.query(
      `UPDATE leads.segments SET name = COALESCE($2, name), description = COALESCE($3, description),
         rules = COALESCE($4, rules), updated_at = now() WHERE id = $1`,
      [id, dto.name ?? null, dto.description ?? null, dto.rules ?? null],
    );
    return toSegmentView(await this.find(scope, id));
  }

  async remove(scope: Scope, id: string): Promise<{ id: string; message: string }> {
    await this.find(scope, id);
    await this.ds.query(`DELETE FROM leads.segments WHERE id = $1`, [id]);
    return { id, message: 'Segment deleted' };
  }

  /** A count over the whole segment; one set-based query, timed for the caller. */
  async count(scope: Scope, id: string): Promise<SegmentCount> {
    const segment = await this.find(scope, id);
    const started = Date.now();
    const p = new SqlParams([scope.tenantId, scope.workspaceId]);
    const cond = segmentCondition(segment, p);
    const [{ count }] = await this.ds.query(
      `SELECT count(*)::int AS count FROM leads.leads l
       WHERE l.tenant_id = $1 AND l.workspace_id = $2 AND ${cond}`,
      p.values,
    );
    return { segmentId: id, count, tookMs: Date.now() - started };
  }

  /** Up to `limit` matching leads, newest first. */
  async sample(scope: Scope, id: string, limit = 10): Promise<LeadView[]> {
    const segment = await this.find(scope, id);
    const p = new SqlParams([scope.tenantId, scope.workspaceId]);
    const cond = segmentCondition(segment, p);
    const rows: LeadRow[] = await this.ds.query(
      `SELECT ${LEAD_SELECT} WHERE l.tenant_id = $1 AND l.workspace_id = $2 AND ${cond}
       ORDER BY l.created_at DESC, l.id LIMIT ${p.add(Math.min(limit, 100))}`,
      p.values,
    );
    return rows.map(toLeadView);
  }

  async addMembers(scope: Scope, id: string, leadIds: string[]): Promise<SegmentView> {
    const segment = await this.find(scope, id);
    if (segment.type !== 'static')
      throw invalid('leadIds', 'only static segments have explicit members');
    await this.ds.transaction((m) => this.insertMembers(m, scope, id, leadIds));
    return toSegmentView(await this.find(scope, id));
  }

  async removeMember(scope: Scope, id: string, leadId: string): Promise<SegmentView> {
    await this.find(scope, id);
    const deleted = await this.ds.query(
      `DELETE FROM leads.segment_members WHERE segment_id = $1 AND lead_id = $2 AND workspace_id = $3 RETURNING lead_id`,
      [id, leadId, scope.workspaceId],
    );
    if (!deleted[0]?.length) throw new NotFoundError('Segment member', leadId);
    return toSegmentView(await this.find(scope, id));
  }

  /** Members must be leads of this workspace; an unknown id is a 404 naming it. */
  private async insertMembers(m: EntityManager, scope: Scope, id: string, leadIds: string[]) {
    const unique = [...new Set(leadIds.map((x) => x.toLowerCase()))];
    const found: { id: string }[] = await m.query(
      `SELECT id FROM leads.leads WHERE tenant_id = $1 AND workspace_id = $2 AND id = ANY($3::uuid[])`,
      [scope.tenantId, scope.workspaceId, unique],
    );
    if (found.length < unique.length) {
      const known = new Set(found.map((f) => f.id));
      throw new NotFoundError(
        'Lead',
        unique.find((x) => !known.has(x)),
      );
    }
    await m.query(
      `INSERT INTO leads.segment_members (segment_id, lead_id, workspace_id)
       SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
      [id, unique, scope.workspaceId],
    );
  }

  fields() {
    return {
      fields: Object.entries(LEAD_FIELDS).map(([name, def]) => ({ name, type: def.type })),
      customFields: 'customFields.<key> (type taken from the value in the rule)',
      operators: RULE_OPERATORS,
      combinators: ['and', 'or'],
    };
  }
}

const invalid = (field: string, message: string) =>
  new ValidationError(message, [{ field, message }], 'INVALID_SEGMENT');
