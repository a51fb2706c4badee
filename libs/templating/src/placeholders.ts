/**
 * `{{firstName}}`-style placeholders with optional fallbacks: `{{firstName | there}}` or
 * `{{ firstName | "there" }}`. Custom lead fields are `{{custom.referralCode}}`.
 */
export const KNOWN_VARIABLES = [
  'firstName',
  'lastName',
  'fullName',
  'email',
  'company',
  'title',
  'phone',
  'city',
  'country',
  'timezone',
  'lastPurchase',
  'campaignName',
  'fromName',
  'unsubscribeUrl',
] as const;

export interface Placeholder {
  raw: string;
  name: string;
  fallback?: string;
  index: number;
}

export interface TemplateProblem {
  message: string;
  index: number;
}

const NAME = /^(?:[A-Za-z][A-Za-z0-9_]*|custom\.[A-Za-z0-9_][A-Za-z0-9_.-]*)$/;
const known = new Set<string>(KNOWN_VARIABLES);

export function isKnownVariable(name: string): boolean {
  return known.has(name) || name.startsWith('custom.');
}

function parseInner(inner: string): { name: string; fallback?: string } {
  const bar = inner.indexOf('|');
  const name = (bar === -1 ? inner : inner.slice(0, bar)).trim();
  if (bar === -1) return { name };
  let fallback = inner.slice(bar + 1).trim();
  const quoted = /^(["'])(.*)\1$/s.exec(fallback);
  if (quoted) fallback = quoted[2];
  return { name, fallback };
}

/** Scans a template once, returning its placeholders and every syntax problem found. */
export function scanTemplate(template: string): {
  placeholders: Placeholder[];
  problems: TemplateProblem[];
} {
  const placeholders: Placeholder[] = [];
  const problems: TemplateProblem[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    const strayClose = template.indexOf('}}', i);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      problems.push({ message: `unmatched "}}" at position ${strayClose}`, index: strayClose });
      i = strayClose + 2;
      continue;
    }
    if (open === -1) break;
    const close = template.indexOf('}}', open + 2);
    const nextOpen = template.indexOf('{{', open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      problems.push({ message: `unclosed "{{" at position ${open}`, index: open });
      i = open + 2;
      continue;
    }
    const raw = template.slice(open, close + 2);
    const { name, fallback } = parseInner(template.slice(open + 2, close));
    if (!NAME.test(name)) {
      problems.push({ message: `invalid placeholder ${raw} at position ${open}`, index: open });
    } else if (!isKnownVariable(name)) {
      problems.push({
        message: `unknown placeholder {{${name}}} at position ${open} (known: ${KNOWN_VARIABLES.join(', ')}, custom.<field>)`,
        index: open,
      });
    } else {
      placeholders.push({ raw, name, fallback, index: open });
    }
    i = close + 2;
  }
  return { placeholders, problems };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Header values must never carry CR/LF: a name like "x\r\nBcc: y" stays on one line. */
export function stripHeaderBreaks(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

export type RenderMode = 'html' | 'text' | 'header';

/**
 * Fills placeholders from `vars`; a missing or empty value takes the fallback, else ''.
 * Values are HTML-escaped in HTML bodies and stripped of line breaks in headers.
 */
export function renderTemplate(
  template: string,
  vars: Record<string, unknown>,
  mode: RenderMode,
): string {
  return template.replace(/\{\{([^{}]*)\}\}/g, (whole, inner: string) => {
    const { name, fallback } = parseInner(inner);
    if (!NAME.test(name)) return whole;
    const value = lookup(vars, name);
    const text =
      value === undefined || value === null || value === '' ? (fallback ?? '') : String(value);
    if (mode === 'html') return escapeHtml(text);
    if (mode === 'header') return stripHeaderBreaks(text);
    return text;
  });
}

function lookup(vars: Record<string, unknown>, name: string): unknown {
  if (!name.startsWith('custom.')) return vars[name];
  const custom = vars.custom as Record<string, unknown> | undefined;
  return custom?.[name.slice('custom.'.length)];
}
