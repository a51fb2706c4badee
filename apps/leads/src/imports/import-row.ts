import { INTEREST_LEVELS, LEAD_STATUSES } from '@app/contracts';
import { isPlausibleEmail, normalizeEmail } from '../leads/email';
import { CUSTOM_PREFIX } from '../leads/lead-fields';

/** One valid CSV row, ready for the bulk upsert. */
export interface ImportRow {
  line: number;
  email: string;
  normalized: string;
  /** Plain fields by API name (firstName, companySize, status, notes, consent...). */
  fields: Record<string, string | number | boolean>;
  customFields: Record<string, unknown>;
}

export type ParsedRow = { ok: true; row: ImportRow } | { ok: false; reason: string };

const INT = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);
const MAX_CELL = 5000;

type Parsed = { value: string | number | boolean } | { error: string };

const intIn =
  (min: number, max: number) =>
  (v: string): Parsed =>
    INT.test(v) && Number(v) >= min && Number(v) <= max
      ? { value: Number(v) }
      : { error: `must be a whole number from ${min} to ${max}` };
const oneOf =
  (values: readonly string[]) =>
  (v: string): Parsed =>
    values.includes(v.toLowerCase())
      ? { value: v.toLowerCase() }
      : { error: `must be one of ${values.join(', ')}` };

/** Parsers of typed columns: a value, or the reason the row is rejected. */
const TYPED: Record<string, (v: string) => Parsed> = {
  companySize: intIn(0, 10_000_000),
  leadScore: intIn(0, 100),
  engagementScore: intIn(0, 100),
  country: (v) =>
    /^[A-Za-z]{2}$/.test(v)
      ? { value: v.toUpperCase() }
      : { error: 'must be a 2-letter country code' },
  status: oneOf(LEAD_STATUSES),
  interestLevel: oneOf(INTEREST_LEVELS),
  consent: (v) =>
    TRUE.has(v.toLowerCase())
      ? { value: true }
      : FALSE.has(v.toLowerCase())
        ? { value: false }
        : { error: 'must be true or false' },
};

/**
 * Custom cells: numbers and true/false become JSON numbers and booleans (so numeric rules
 * work); `a|b|c` becomes a list (for rules like interests contains "tech").
 */
export function customValue(v: string): unknown {
  if (NUMBER.test(v) && v.length < 16) return Number(v);
  if (v === 'true' || v === 'false') return v === 'true';
  if (v.includes('|')) {
    // One array, not three (split, map, filter): every row of a list column comes here.
    const list = v.split('|');
    let n = 0;
    for (const item of list) {
      const s = item.trim();
      if (s) list[n++] = s;
    }
    list.length = n;
    return list;
  }
  return v;
}

/**
 * `customFields.<key>` → `<key>`, made once per target rather than sliced for every cell: a
 * fresh string used as a property name is looked up in V8's string table each time.
 */
const customKeys = new Map<string, string>();
function customKey(target: string): string {
  let key = customKeys.get(target);
  if (key === undefined) {
    key = target.slice(CUSTOM_PREFIX.length);
    if (customKeys.size < 10_000) customKeys.set(target, key);
  }
  return key;
}

export function parseRow(record: string[], targets: string[], line: number): ParsedRow {
  if (record.length > targets.length)
    return { ok: false, reason: `has ${record.length} fields, the header has ${targets.length}` };
  const fields: ImportRow['fields'] = {};
  const customFields: Record<string, unknown> = {};
  let email = '';
  for (let i = 0; i < record.length; i++) {
    const target = targets[i];
    const value = record[i].trim();
    if (!target || value === '') continue;
    if (value.length > MAX_CELL)
      return { ok: false, reason: `${target}: longer than ${MAX_CELL} characters` };
    // Postgres text cannot hold NUL; refusing the row here keeps it from failing a whole batch.
    if (value.includes('\0')) return { ok: false, reason: `${target}: contains a NUL character` };
    if (target === 'email') email = value;
    else if (target.startsWith(CUSTOM_PREFIX)) customFields[customKey(target)] = customValue(value);
    else if (target === 'fullName') {
      const [first, ...rest] = value.split(/\s+/);
      fields.firstName ??= first;
      if (rest.length) fields.lastName ??= rest.join(' ');
    } else if (TYPED[target]) {
      const parsed = TYPED[target](value);
      if ('error' in parsed) return { ok: false, reason: `${target} "${value}" ${parsed.error}` };
      fields[target] = parsed.value;
    } else fields[target] = value;
  }
  if (!email) return { ok: false, reason: 'email is missing' };
  if (!isPlausibleEmail(email))
    return { ok: false, reason: `email "${email}" is not a valid address` };
  return {
    ok: true,
    row: { line, email, normalized: normalizeEmail(email), fields, customFields },
  };
}
