import { ErrorDetail, ValidationError } from '@app/common';
import { RULE_OPERATORS, RuleOperator } from '@app/contracts';
import { CUSTOM_KEY, CUSTOM_PREFIX, FieldDef, LEAD_FIELDS } from '../leads/lead-fields';
import { escapeLike, SqlParams } from '../sql/sql-params';

/**
 * Segment rules → parameterised SQL, in this one place. A rule is a leaf
 * `{ field, operator, value }` or a group `{ combinator: 'and' | 'or', rules: [...] }`.
 * Columns come only from LEAD_FIELDS; every value and custom-field key is a bind parameter.
 * Built-in text compares case-insensitively; custom fields compare exactly (jsonb).
 */
export interface RuleLeaf {
  field: string;
  operator: RuleOperator;
  value?: unknown;
}
export interface RuleGroup {
  combinator: 'and' | 'or';
  rules: Rule[];
}
export type Rule = RuleLeaf | RuleGroup;

const MAX_DEPTH = 8;
const MAX_RULES = 200;

type Scalar = string | number | boolean;

class RuleErrors {
  readonly details: ErrorDetail[] = [];
  count = 0;
  add(field: string, message: string): void {
    this.details.push({ field, message });
  }
}

/** Validates and compiles; throws a 400 listing every problem with its path. */
export function compileRule(rule: unknown, params: SqlParams, alias = 'l'): string {
  const errors = new RuleErrors();
  const sql = node(rule, 'rules', 0, params, alias, errors);
  if (errors.details.length) {
    throw new ValidationError(
      `Invalid segment rules: ${errors.details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      errors.details,
      'INVALID_RULES',
    );
  }
  return sql;
}

function node(
  rule: unknown,
  path: string,
  depth: number,
  p: SqlParams,
  a: string,
  e: RuleErrors,
): string {
  if (++e.count > MAX_RULES) {
    if (e.count === MAX_RULES + 1) e.add(path, `at most ${MAX_RULES} rules`);
    return 'FALSE';
  }
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    e.add(path, 'must be a rule object or a group');
    return 'FALSE';
  }
  const r = rule as Record<string, unknown>;
  if ('combinator' in r || 'rules' in r) {
    if (depth >= MAX_DEPTH) {
      e.add(path, `groups nest at most ${MAX_DEPTH} deep`);
      return 'FALSE';
    }
    if (r.combinator !== 'and' && r.combinator !== 'or') {
      e.add(
        `${path}.combinator`,
        `unknown combinator ${JSON.stringify(r.combinator)}: use and, or`,
      );
      return 'FALSE';
    }
    if (!Array.isArray(r.rules)) {
      e.add(`${path}.rules`, 'must be an array');
      return 'FALSE';
    }
    if (!r.rules.length) return r.combinator === 'and' ? 'TRUE' : 'FALSE';
    const parts = r.rules.map((child, i) => node(child, `${path}.rules[${i}]`, depth + 1, p, a, e));
    return `(${parts.join(r.combinator === 'and' ? ' AND ' : ' OR ')})`;
  }
  return leaf(r, path, p, a, e);
}

function leaf(r: Record<string, unknown>, path: string, p: SqlParams, a: string, e: RuleErrors) {
  const { field, operator, value } = r;
  if (typeof field !== 'string') {
    e.add(`${path}.field`, 'field is required');
    return 'FALSE';
  }
  if (!(RULE_OPERATORS as readonly string[]).includes(operator as string)) {
    e.add(
      `${path}.operator`,
      `unknown operator ${JSON.stringify(operator)}: use ${RULE_OPERATORS.join(', ')}`,
    );
    return 'FALSE';
  }
  const op = operator as RuleOperator;
  if (field.startsWith(CUSTOM_PREFIX)) {
    const key = field.slice(CUSTOM_PREFIX.length);
    if (!CUSTOM_KEY.test(key)) {
      e.add(`${path}.field`, `invalid custom field key ${JSON.stringify(key)}`);
      return 'FALSE';
    }
    return customLeaf(key, op, value, `${path}.value`, p, a, e);
  }
  const def = LEAD_FIELDS[field];
  if (!def) {
    e.add(
      `${path}.field`,
      `unknown field "${field}": use ${Object.keys(LEAD_FIELDS).join(', ')} or customFields.<key>`,
    );
    return 'FALSE';
  }
  return builtinLeaf(def, op, value, `${path}.value`, p, a, e);
}

function typeOk(def: FieldDef, v: unknown): boolean {
  switch (def.type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    case 'uuid':
      return typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v);
    case 'string':
      return typeof v === 'string';
  }
}

const SQL_CAST: Record<FieldDef['type'], string> = {
  string: 'text',
  number: 'numeric',
  date: 'timestamptz',
  boolean: 'boolean',
  uuid: 'uuid',
};

function builtinLeaf(
  def: FieldDef,
  op: RuleOperator,
  value: unknown,
  path: string,
  p: SqlParams,
  a: string,
  e: RuleErrors,
): string {
  const text = def.type === 'string';
  const col = text ? `lower(${a}.${def.column})` : `${a}.${def.column}`;
  const cast = SQL_CAST[def.type];
  const bad = (expected: string) => {
    e.add(path, `${op} on ${def.type} field needs ${expected}`);
    return 'FALSE';
  };
  const val = (v: unknown) => (text ? String(v).toLowerCase() : v);
  switch (op) {
    case 'eq':
    case 'neq':
      if (!typeOk(def, value)) return bad(`a ${def.type}`);
      return op === 'eq'
        ? `${col} = ${p.add(val(value), cast)}`
        : `${col} IS DISTINCT FROM ${p.add(val(value), cast)}`;
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value) || !value.length || !value.every((v) => typeOk(def, v)))
        return bad(`a non-empty array of ${def.type}s`);
      const any = `${col} = ANY(${p.add(value.map(val), `${cast}[]`)})`;
      return op === 'in' ? any : `NOT COALESCE(${any}, false)`;
    }
    case 'contains':
      if (!text || typeof value !== 'string') return bad('a text field and a string');
      return `${col} LIKE ${p.add(`%${escapeLike(value.toLowerCase())}%`)}`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (def.type !== 'number' && def.type !== 'date') return bad('a number or date field');
      if (!typeOk(def, value)) return bad(`a ${def.type}`);
      return `${col} ${CMP[op]} ${p.add(value, cast)}`;
    case 'between':
      if (def.type !== 'number' && def.type !== 'date') return bad('a number or date field');
      if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeOk(def, v)))
        return bad(`[min, max] of ${def.type}s`);
      return `${col} BETWEEN ${p.add(value[0], cast)} AND ${p.add(value[1], cast)}`;
    case 'exists':
      if (value !== undefined && typeof value !== 'boolean') return bad('true, false or nothing');
      return value === false
        ? `(${a}.${def.column} IS NULL${text ? ` OR ${a}.${def.column} = ''` : ''})`
        : `(${a}.${def.column} IS NOT NULL${text ? ` AND ${a}.${def.column} <> ''` : ''})`;
  }
}

const CMP = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** Custom fields live in jsonb: containment (GIN-indexed) for equality, typed extraction for ranges. */
function customLeaf(
  key: string,
  op: RuleOperator,
  value: unknown,
  path: string,
  p: SqlParams,
  a: string,
  e: RuleErrors,
): string {
  const cf = `${a}.custom_fields`;
  const bad = (expected: string) => {
    e.add(path, `${op} on customFields.${key} needs ${expected}`);
    return 'FALSE';
  };
  const contains = (v: unknown) => `${cf} @> ${p.add(JSON.stringify({ [key]: v }), 'jsonb')}`;
  switch (op) {
    case 'eq':
      if (!isScalar(value)) return bad('a string, number or boolean');
      return contains(value);
    case 'neq':
      if (!isScalar(value)) return bad('a string, number or boolean');
      return `NOT ${contains(value)}`;
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value) || !value.length || !value.every(isScalar))
        return bad('a non-empty array of strings, numbers or booleans');
      // A scalar equal to one of the values, or an array field holding any of them.
      const forms = value.flatMap((v) => [
        JSON.stringify({ [key]: v }),
        JSON.stringify({ [key]: [v] }),
      ]);
      const any = `${cf} @> ANY(${p.add(forms, 'jsonb[]')})`;
      return op === 'in' ? any : `NOT ${any}`;
    }
    case 'contains': {
      if (!isScalar(value)) return bad('a string, number or boolean');
      const element = contains([value]);
      if (typeof value !== 'string') return element;
      const k = p.add(key);
      return `(${element} OR (jsonb_typeof(${cf} -> ${k}) = 'string' AND (${cf} ->> ${k}) ILIKE ${p.add(`%${escapeLike(value)}%`)}))`;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof value === 'number' && Number.isFinite(value))
        return `${numberOf(cf, p.add(key))} ${CMP[op]} ${p.add(value, 'numeric')}`;
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value)))
        return `${stringOf(cf, p.add(key))} ${CMP[op]} ${p.add(value, 'text')}`;
      return bad('a number or an ISO-8601 date string');
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) return bad('[min, max]');
      const [lo, hi] = value;
      if (typeof lo === 'number' && typeof hi === 'number')
        return `${numberOf(cf, p.add(key))} BETWEEN ${p.add(lo, 'numeric')} AND ${p.add(hi, 'numeric')}`;
      if (
        typeof lo === 'string' &&
        typeof hi === 'string' &&
        !Number.isNaN(Date.parse(lo)) &&
        !Number.isNaN(Date.parse(hi))
      )
        return `${stringOf(cf, p.add(key))} BETWEEN ${p.add(lo, 'text')} AND ${p.add(hi, 'text')}`;
      return bad('[min, max] of numbers or of ISO-8601 date strings');
    }
    case 'exists': {
      if (value !== undefined && typeof value !== 'boolean') return bad('true, false or nothing');
      const has = `COALESCE(jsonb_typeof(${cf} -> ${p.add(key)}) <> 'null', false)`;
      return value === false ? `NOT ${has}` : has;
    }
  }
}

// CASE guards the cast: a value of another JSON type compares as NULL, never as an error.
const numberOf = (cf: string, k: string) =>
  `(CASE WHEN jsonb_typeof(${cf} -> ${k}) = 'number' THEN (${cf} ->> ${k})::numeric END)`;
// Dates in custom fields are ISO-8601 strings, which order correctly as text.
const stringOf = (cf: string, k: string) =>
  `(CASE WHEN jsonb_typeof(${cf} -> ${k}) = 'string' THEN ${cf} ->> ${k} END)`;
