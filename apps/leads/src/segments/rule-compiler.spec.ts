import { DomainError } from '@app/common';
import { SqlParams } from '../sql/sql-params';
import { filtersToRule } from './audience-filters';
import { compileRule } from './rule-compiler';

function compile(rule: unknown) {
  const p = new SqlParams();
  return { sql: compileRule(rule, p), params: p.values };
}

function problems(rule: unknown): string[] {
  try {
    compile(rule);
  } catch (err) {
    expect((err as DomainError).status).toBe(400);
    expect((err as DomainError).code).toBe('INVALID_RULES');
    return ((err as DomainError).details ?? []).map((d) => `${d.field}: ${d.message}`);
  }
  throw new Error('expected the rule to be refused');
}

const leaf = (field: string, operator: string, value?: unknown) => ({ field, operator, value });

describe('segment rule compiler: built-in fields', () => {
  it.each([
    [leaf('industry', 'eq', 'Technology'), 'lower(l.industry) = $1::text', ['technology']],
    [leaf('industry', 'neq', 'Retail'), 'lower(l.industry) IS DISTINCT FROM $1::text', ['retail']],
    [leaf('country', 'in', ['US', 'CA']), 'lower(l.country) = ANY($1::text[])', [['us', 'ca']]],
    [
      leaf('country', 'not_in', ['US']),
      'NOT COALESCE(lower(l.country) = ANY($1::text[]), false)',
      [['us']],
    ],
    [leaf('company', 'contains', '50%_Off'), 'lower(l.company) LIKE $1', ['%50\\%\\_off%']],
    [leaf('engagementScore', 'gt', 75), 'l.engagement_score > $1::numeric', [75]],
    [leaf('engagementScore', 'gte', 75), 'l.engagement_score >= $1::numeric', [75]],
    [leaf('leadScore', 'lt', 10), 'l.lead_score < $1::numeric', [10]],
    [leaf('leadScore', 'lte', 10), 'l.lead_score <= $1::numeric', [10]],
    [
      leaf('companySize', 'between', [50, 500]),
      'l.company_size BETWEEN $1::numeric AND $2::numeric',
      [50, 500],
    ],
    [
      leaf('createdAt', 'gte', '2025-01-01T00:00:00Z'),
      'l.created_at >= $1::timestamptz',
      ['2025-01-01T00:00:00Z'],
    ],
    [leaf('phone', 'exists'), "(l.phone IS NOT NULL AND l.phone <> '')", []],
    [leaf('phone', 'exists', false), "(l.phone IS NULL OR l.phone = '')", []],
    [leaf('companySize', 'exists'), '(l.company_size IS NOT NULL)', []],
    [leaf('consent', 'eq', false), 'l.consent_email = $1::boolean', [false]],
  ])('%j → %s', (rule, sql, params) => {
    expect(compile(rule)).toEqual({ sql, params });
  });
});

describe('segment rule compiler: custom fields (jsonb)', () => {
  it.each([
    [leaf('customFields.tier', 'eq', 'gold'), 'l.custom_fields @> $1::jsonb', ['{"tier":"gold"}']],
    [leaf('customFields.age', 'neq', 30), 'NOT l.custom_fields @> $1::jsonb', ['{"age":30}']],
    [
      leaf('customFields.interests', 'in', ['tech', 'golf']),
      'l.custom_fields @> ANY($1::jsonb[])',
      [
        [
          '{"interests":"tech"}',
          '{"interests":["tech"]}',
          '{"interests":"golf"}',
          '{"interests":["golf"]}',
        ],
      ],
    ],
    [
      leaf('customFields.tier', 'not_in', ['gold']),
      'NOT l.custom_fields @> ANY($1::jsonb[])',
      [['{"tier":"gold"}', '{"tier":["gold"]}']],
    ],
    [
      leaf('customFields.interests', 'contains', 'tech'),
      "(l.custom_fields @> $1::jsonb OR (jsonb_typeof(l.custom_fields -> $2) = 'string' AND (l.custom_fields ->> $2) ILIKE $3))",
      ['{"interests":["tech"]}', 'interests', '%tech%'],
    ],
    [
      leaf('customFields.age', 'gt', 25),
      "(CASE WHEN jsonb_typeof(l.custom_fields -> $1) = 'number' THEN (l.custom_fields ->> $1)::numeric END) > $2::numeric",
      ['age', 25],
    ],
    [
      leaf('customFields.age', 'between', [25, 45]),
      "(CASE WHEN jsonb_typeof(l.custom_fields -> $1) = 'number' THEN (l.custom_fields ->> $1)::numeric END) BETWEEN $2::numeric AND $3::numeric",
      ['age', 25, 45],
    ],
    [
      leaf('customFields.lastPurchaseAt', 'gte', '2024-06-01'),
      "(CASE WHEN jsonb_typeof(l.custom_fields -> $1) = 'string' THEN l.custom_fields ->> $1 END) >= $2::text",
      ['lastPurchaseAt', '2024-06-01'],
    ],
    [
      leaf('customFields.orders', 'exists'),
      "COALESCE(jsonb_typeof(l.custom_fields -> $1) <> 'null', false)",
      ['orders'],
    ],
  ])('%j → %s', (rule, sql, params) => {
    expect(compile(rule)).toEqual({ sql, params });
  });
});

describe('segment rule compiler: groups', () => {
  it('nests AND/OR groups with one parameter list', () => {
    const out = compile({
      combinator: 'and',
      rules: [
        leaf('companySize', 'between', [50, 500]),
        {
          combinator: 'or',
          rules: [leaf('country', 'in', ['US', 'CA']), leaf('customFields.vip', 'eq', true)],
        },
      ],
    });
    expect(out.sql).toBe(
      '(l.company_size BETWEEN $1::numeric AND $2::numeric AND (lower(l.country) = ANY($3::text[]) OR l.custom_fields @> $4::jsonb))',
    );
    expect(out.params).toEqual([50, 500, ['us', 'ca'], '{"vip":true}']);
  });

  it('treats empty groups as everything (and) or nothing (or)', () => {
    expect(compile({ combinator: 'and', rules: [] }).sql).toBe('TRUE');
    expect(compile({ combinator: 'or', rules: [] }).sql).toBe('FALSE');
  });
});

describe('segment rule compiler: refusals', () => {
  it('names unknown fields, operators and combinators with their path', () => {
    expect(
      problems({
        combinator: 'and',
        rules: [
          leaf('shoeSize', 'eq', 4),
          leaf('industry', 'like', 'x'),
          { combinator: 'xor', rules: [] },
        ],
      }),
    ).toEqual([
      expect.stringMatching(/^rules\.rules\[0\]\.field: unknown field "shoeSize": use email, /),
      expect.stringMatching(
        /^rules\.rules\[1\]\.operator: unknown operator "like": use eq, neq, in/,
      ),
      'rules.rules[2].combinator: unknown combinator "xor": use and, or',
    ]);
  });

  it.each([
    [leaf('companySize', 'eq', '50'), 'eq on number field needs a number'],
    [leaf('industry', 'gt', 'a'), 'gt on string field needs a number or date field'],
    [leaf('companySize', 'between', [1]), 'between on number field needs [min, max] of numbers'],
    [leaf('country', 'in', []), 'in on string field needs a non-empty array of strings'],
    [
      leaf('leadScore', 'contains', 'x'),
      'contains on number field needs a text field and a string',
    ],
    [
      leaf('customFields.age', 'gt', 'old'),
      'gt on customFields.age needs a number or an ISO-8601 date string',
    ],
    [
      leaf('customFields.tags', 'eq', { a: 1 }),
      'eq on customFields.tags needs a string, number or boolean',
    ],
    [leaf('phone', 'exists', 'yes'), 'exists on string field needs true, false or nothing'],
  ])('refuses %j', (rule, message) => {
    expect(problems(rule)).toEqual([`rules.value: ${message}`]);
  });

  it('never puts input into SQL text', () => {
    const evil = "x'); DROP TABLE leads.leads; --";
    const out = compile({
      combinator: 'or',
      rules: [
        leaf('industry', 'eq', evil),
        leaf('customFields.a', 'contains', evil),
        leaf('company', 'contains', evil),
      ],
    });
    expect(out.sql).not.toContain('DROP');
    expect(out.params.join()).toContain('DROP TABLE');
    expect(problems(leaf("customFields.a') OR 1=1 --", 'eq', 1))).toEqual([
      `rules.field: invalid custom field key "a') OR 1=1 --"`,
    ]);
    expect(problems(leaf('industry; DROP TABLE x', 'eq', 'a'))[0]).toMatch(/unknown field/);
    expect(problems(leaf('industry', 'eq) OR (1=1', 'a'))[0]).toMatch(/unknown operator/);
  });

  it('bounds depth and size', () => {
    let deep: unknown = leaf('industry', 'eq', 'a');
    for (let i = 0; i < 10; i++) deep = { combinator: 'and', rules: [deep] };
    expect(problems(deep)[0]).toMatch(/nest at most 8 deep/);
    const wide = {
      combinator: 'or',
      rules: Array.from({ length: 250 }, () => leaf('industry', 'eq', 'a')),
    };
    expect(problems(wide)).toEqual([expect.stringMatching(/at most 200 rules/)]);
  });
});

describe('audience filter shorthand (campaign targetAudience.filters)', () => {
  it('expresses the seeds’ audiences', () => {
    expect(
      filtersToRule({
        companySize: '50-500',
        industry: ['technology', 'finance'],
        engagementScore: '>75',
        locations: ['US', 'CA'],
        ageRange: [25, 45],
        interests: ['technology', 'shopping'],
        totalPurchases: { operator: 'gte', value: 1 },
        gender: ['male', 'female'],
        source: 'website_form',
      }),
    ).toEqual({
      combinator: 'and',
      rules: [
        leaf('companySize', 'between', [50, 500]),
        leaf('industry', 'in', ['technology', 'finance']),
        leaf('engagementScore', 'gt', 75),
        leaf('country', 'in', ['US', 'CA']),
        leaf('customFields.age', 'between', [25, 45]),
        leaf('customFields.interests', 'in', ['technology', 'shopping']),
        leaf('customFields.totalPurchases', 'gte', 1),
        leaf('customFields.gender', 'in', ['male', 'female']),
        leaf('source', 'eq', 'website_form'),
      ],
    });
    expect(filtersToRule({})).toBeNull();
  });
});
