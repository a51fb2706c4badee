import { Scope } from '@app/common';
import { LeadFiltersQuery } from '@app/contracts';
import { SqlParams } from '../sql/sql-params';
import { memberOf } from './campaign-members';
import { searchable, searchCondition } from './lead-search';

/**
 * WHERE clause of the lead list and export: the scope first, then each filter as a bind
 * parameter. Search matches word prefixes in names, company, email domain and the parts of a
 * dotted or hyphenated local part, or the start of the address (lead-search.ts).
 */
export function leadFiltersSql(scope: Scope, q: LeadFiltersQuery, p: SqlParams, a = 'l'): string {
  const where = [
    `${a}.tenant_id = ${p.add(scope.tenantId)}`,
    `${a}.workspace_id = ${p.add(scope.workspaceId)}`,
  ];
  if (q.status) where.push(`${a}.status = ${p.add(q.status)}`);
  if (q.source) where.push(`${a}.source = ${p.add(q.source)}`);
  if (q.campaignId) where.push(memberOf(`${a}.id`, p.add(q.campaignId, 'uuid')));
  if (q.minScore !== undefined) where.push(`${a}.lead_score >= ${p.add(q.minScore)}`);
  if (q.maxScore !== undefined) where.push(`${a}.lead_score <= ${p.add(q.maxScore)}`);
  if (q.createdFrom) where.push(`${a}.created_at >= ${p.add(q.createdFrom, 'timestamptz')}`);
  if (q.createdTo) where.push(`${a}.created_at < ${p.add(q.createdTo, 'timestamptz')}`);
  for (const pair of q.customField ?? []) {
    const at = pair.indexOf(':');
    const value = pair.slice(at + 1);
    // Query strings are text: match the stored value as a string or as the number it spells.
    const forms = [{ [pair.slice(0, at)]: value }];
    if (value !== '' && Number.isFinite(Number(value)))
      forms.push({ [pair.slice(0, at)]: Number(value) as unknown as string });
    if (value === 'true' || value === 'false')
      forms.push({ [pair.slice(0, at)]: (value === 'true') as unknown as string });
    where.push(
      `${a}.custom_fields @> ANY(${p.add(
        forms.map((f) => JSON.stringify(f)),
        'jsonb[]',
      )})`,
    );
  }
  if (q.search !== undefined && q.search.trim()) {
    // A term of punctuation alone has no word to look for: it matches nothing.
    where.push(searchable(q.search) ? searchCondition(a, p.add(q.search)) : 'false');
  }
  return where.join(' AND ');
}

export const LEAD_SORTS = {
  createdAt: 'l.created_at',
  updatedAt: 'l.updated_at',
  email: 'l.email_normalized',
  lastName: 'l.last_name',
  company: 'l.company',
  leadScore: 'l.lead_score',
  status: 'l.status',
};
