import { ValidationError } from '@app/common';
import { CUSTOM_KEY, CUSTOM_PREFIX } from '../leads/lead-fields';

/**
 * CSV header → lead field. Automatic by synonyms (case, spaces and punctuation ignored);
 * an explicit mapping overrides per column ("" ignores one). Columns nobody recognises go
 * to customFields under a camelCased key, so nothing in the file is silently dropped.
 */
export const IMPORT_TARGETS: Record<string, string[]> = {
  email: ['email', 'emailaddress', 'mail', 'contactemail', 'workemail'],
  fullName: ['name', 'fullname', 'contactname'],
  firstName: ['firstname', 'first', 'givenname', 'fname', 'forename'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname'],
  company: ['company', 'companyname', 'organization', 'organisation', 'org', 'account'],
  phone: ['phone', 'phonenumber', 'mobile', 'tel', 'telephone'],
  title: ['title', 'jobtitle', 'position', 'role'],
  companySize: ['companysize', 'employees', 'headcount', 'numberofemployees'],
  industry: ['industry', 'sector', 'vertical'],
  country: ['country', 'countrycode', 'location'],
  source: ['source', 'leadsource'],
  leadScore: ['leadscore', 'score'],
  engagementScore: ['engagementscore', 'engagement'],
  interestLevel: ['interestlevel', 'interest'],
  budgetRange: ['budgetrange', 'budget'],
  timeline: ['timeline', 'timeframe'],
  utmSource: ['utmsource'],
  utmMedium: ['utmmedium'],
  utmCampaign: ['utmcampaign'],
  status: ['status', 'leadstatus'],
  salesStage: ['salesstage', 'stage'],
  salesRep: ['salesrep', 'owner', 'rep'],
  notes: ['notes', 'note', 'comments'],
  timezone: ['timezone', 'tz'],
  consent: ['consent', 'emailconsent', 'optin', 'marketingconsent'],
};

const squash = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');
const SYNONYMS = new Map<string, string>(
  Object.entries(IMPORT_TARGETS).flatMap(([field, names]) => names.map((n) => [n, field])),
);

export function customKeyOf(header: string): string {
  const words = header
    .replace(/^(custom(fields?)?|cf)[._:\s-]+/i, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const key = words
    .map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w[0].toLowerCase() + w.slice(1)))
    .join('');
  return /^[0-9]/.test(key) ? `_${key}` : key.slice(0, 63);
}

const isTarget = (t: string) =>
  t === '' ||
  t in IMPORT_TARGETS ||
  (t.startsWith(CUSTOM_PREFIX) && CUSTOM_KEY.test(t.slice(CUSTOM_PREFIX.length)));

/** Returns header index → target ('' = ignored); throws 400 naming every problem. */
export function resolveMapping(header: string[], explicit: Record<string, string> = {}): string[] {
  const problems: { field: string; message: string }[] = [];
  for (const [column, target] of Object.entries(explicit)) {
    if (!header.includes(column))
      problems.push({ field: `mapping.${column}`, message: `the file has no column "${column}"` });
    if (typeof target !== 'string' || !isTarget(target))
      problems.push({
        field: `mapping.${column}`,
        message: `unknown field "${target}": use ${Object.keys(IMPORT_TARGETS).join(', ')}, customFields.<key> or "" to ignore`,
      });
  }
  const targets = header.map((h) => {
    if (h in explicit) return explicit[h];
    const known = SYNONYMS.get(squash(h));
    if (known) return known;
    const key = customKeyOf(h);
    return key && CUSTOM_KEY.test(key) ? `${CUSTOM_PREFIX}${key}` : '';
  });
  const seen = new Map<string, string>();
  targets.forEach((t, i) => {
    if (!t) return;
    if (seen.has(t))
      problems.push({
        field: `mapping.${header[i]}`,
        message: `"${header[i]}" and "${seen.get(t)}" both map to ${t}`,
      });
    seen.set(t, header[i]);
  });
  if (!targets.includes('email'))
    problems.push({ field: 'mapping', message: 'no column maps to email (name one in mapping)' });
  if (problems.length)
    throw new ValidationError(
      `Cannot map the CSV header: ${problems.map((p) => p.message).join('; ')}`,
      problems,
      'INVALID_IMPORT_MAPPING',
    );
  return targets;
}
