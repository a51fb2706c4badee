import { RpcController, RpcRequest, Scope, scopeOf } from '@app/common';
import { LeadsApiRpc, SegmentFieldCoverage } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { SqlParams } from '../sql/sql-params';
import { segmentCondition } from './segment-row';
import { SegmentsService } from './segments.service';

/** Template placeholders that read a lead column (see the executor's message builder). */
const COLUMNS: Record<string, string[]> = {
  firstName: ['first_name'],
  lastName: ['last_name'],
  fullName: ['first_name', 'last_name'],
  company: ['company'],
  title: ['title'],
  phone: ['phone'],
  timezone: ['timezone'],
};
const MAX_FIELDS = 50;

/**
 * For the template check "this variable has no fallback and N leads of the segment lack it":
 * one pass over the segment counting, per placeholder, the leads whose value is null or empty.
 * Custom fields (`custom.<key>`) are read from the lead's custom fields, the key bound as a
 * parameter; placeholders that are not lead fields (email, campaignName, ...) are skipped.
 */
@Injectable()
export class FieldCoverageService {
  constructor(
    private readonly ds: DataSource,
    private readonly segments: SegmentsService,
  ) {}

  async coverage(scope: Scope, id: string, fields: string[]): Promise<SegmentFieldCoverage> {
    const segment = await this.segments.find(scope, id);
    const p = new SqlParams([scope.tenantId, scope.workspaceId]);
    const cond = segmentCondition(segment, p);
    const asked = [...new Set(fields)]
      .filter((f) => COLUMNS[f] || f.startsWith('custom.'))
      .slice(0, MAX_FIELDS);
    const blank = (expr: string) => `coalesce(${expr}, '') = ''`;
    const filters = asked.map((f, i) => {
      const exprs = f.startsWith('custom.')
        ? [`l.custom_fields ->> ${p.add(f.slice('custom.'.length))}`]
        : COLUMNS[f].map((c) => `l.${c}`);
      return `count(*) FILTER (WHERE ${exprs.map(blank).join(' AND ')})::int AS m${i}`;
    });
    const [row]: Array<Record<string, number>> = await this.ds.query(
      `SELECT ${['count(*)::int AS total', ...filters].join(', ')} FROM leads.leads l
        WHERE l.tenant_id = $1 AND l.workspace_id = $2 AND ${cond}`,
      p.values,
    );
    return {
      segmentId: id,
      segmentName: segment.name,
      total: row.total,
      missing: Object.fromEntries(asked.map((f, i) => [f, row[`m${i}`]])),
    };
  }
}

@RpcController()
export class FieldCoverageController {
  constructor(private readonly coverage: FieldCoverageService) {}

  @MessagePattern(LeadsApiRpc.segmentFieldCoverage)
  get(@Payload() req: RpcRequest<{ id: string; fields: string[] }>) {
    return this.coverage.coverage(scopeOf(req.ctx), req.data.id, req.data.fields ?? []);
  }
}
