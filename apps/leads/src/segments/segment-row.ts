import { SegmentView } from '@app/contracts';
import { SqlParams } from '../sql/sql-params';
import { compileRule } from './rule-compiler';

export interface SegmentRow {
  id: string;
  tenant_id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  type: 'dynamic' | 'static';
  rules: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  member_count?: number;
}

export function toSegmentView(r: SegmentRow): SegmentView {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    type: r.type,
    rules: r.rules,
    ...(r.type === 'static' && r.member_count !== undefined ? { memberCount: r.member_count } : {}),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Membership of one segment as a condition on leads alias `a`: its rules, or its member list. */
export function segmentCondition(s: SegmentRow, p: SqlParams, a = 'l'): string {
  if (s.type === 'static') {
    return `EXISTS (SELECT 1 FROM leads.segment_members sm WHERE sm.segment_id = ${p.add(s.id)} AND sm.lead_id = ${a}.id)`;
  }
  return compileRule(s.rules ?? { combinator: 'and', rules: [] }, p, a);
}
