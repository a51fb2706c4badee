import { ValidationError } from '@app/common';
import { CUSTOM_KEY, CUSTOM_PREFIX, LEAD_FIELDS } from '../leads/lead-fields';
import { SqlParams } from '../sql/sql-params';
import { compileRule, Rule, RuleLeaf } from './rule-compiler';

/**
 * A campaign's `targetAudience.filters` shorthand → a rule tree for the compiler:
 * `{ companySize: '50-500', industry: ['technology','finance'], engagementScore: '>75',
 *    locations: ['US','CA'], ageRange: [25, 45], interests: ['tech'] }`.
 * A value that is already a rule (`{ operator, value }`) is taken as is; `rules` may hold a
 * full rule tree. Aliases map the seeds' names onto fields (docs/leads.md).
 */
const ALIASES: Record<string, string> = {
  company_size: 'companySize',
  engagement_score: 'engagementScore',
  lead_score: 'leadScore',
  location: 'country',
  locations: 'country',
  countries: 'country',
  age: 'customFields.age',
  ageRange: 'customFields.age',
  age_range: 'customFields.age',
  interests: 'customFields.interests',
};

/**
 * A filter names a built-in field, an alias, or `customFields.<key>`; any other plain name
 * (the seeds' `gender`, say) is taken as a custom field, so a campaign written against the
 * seeds selects on the data the workspace imported rather than failing at launch.
 */
function fieldOf(key: string): string {
  if (ALIASES[key]) return ALIASES[key];
  if (key in LEAD_FIELDS || key.startsWith(CUSTOM_PREFIX) || !CUSTOM_KEY.test(key)) return key;
  return `${CUSTOM_PREFIX}${key}`;
}

const RANGE = /^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$/;
const COMPARISON = /^\s*(>=|<=|>|<|=)\s*(-?\d+(?:\.\d+)?)\s*$/;
const OPS = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte', '=': 'eq' } as const;

export function filtersToRule(filters: Record<string, unknown> | undefined): Rule | null {
  if (!filters || !Object.keys(filters).length) return null;
  const rules: Rule[] = [];
  for (const [key, value] of Object.entries(filters)) {
    if (key === 'rules') {
      rules.push(value as Rule);
      continue;
    }
    rules.push(toLeaf(fieldOf(key), key, value));
  }
  return { combinator: 'and', rules };
}

function toLeaf(field: string, key: string, value: unknown): RuleLeaf {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { operator, value: v } = value as { operator?: unknown; value?: unknown };
    return { field, operator: operator as RuleLeaf['operator'], value: v };
  }
  if (Array.isArray(value)) {
    const isRange =
      /range/i.test(key) && value.length === 2 && value.every((v) => typeof v === 'number');
    return isRange ? { field, operator: 'between', value } : { field, operator: 'in', value };
  }
  if (typeof value === 'string') {
    const range = RANGE.exec(value);
    if (range) return { field, operator: 'between', value: [Number(range[1]), Number(range[2])] };
    const cmp = COMPARISON.exec(value);
    if (cmp) return { field, operator: OPS[cmp[1] as keyof typeof OPS], value: Number(cmp[2]) };
    return { field, operator: 'eq', value };
  }
  if (typeof value === 'number' || typeof value === 'boolean')
    return { field, operator: 'eq', value };
  throw new ValidationError(`Unsupported audience filter "${key}"`, [
    {
      field: `filters.${key}`,
      message: 'use a value, an array, "min-max", ">n", or { operator, value }',
    },
  ]);
}

/** The filters as SQL (TRUE when there are none), validated like segment rules. */
export function audienceFiltersSql(
  filters: Record<string, unknown> | undefined,
  p: SqlParams,
): string {
  const rule = filtersToRule(filters);
  return rule ? compileRule(rule, p) : 'TRUE';
}
