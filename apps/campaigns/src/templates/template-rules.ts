import { ErrorDetail } from '@app/common';
import { TemplateVariableDto, TemplateWarning } from '@app/contracts';
import { checkHtml, scanTemplate } from '@app/templating';

export interface TemplateContent {
  channel: string;
  subject?: string | null;
  bodyHtml?: string | null;
  bodyText?: string | null;
  variables?: TemplateVariableDto[];
}

export interface TemplateCheck {
  problems: ErrorDetail[];
  warnings: TemplateWarning[];
}

/**
 * What a template must satisfy to be saved (problems → 400) and what a marketer should know
 * (warnings, saved anyway): placeholders that leave a blank when a lead lacks the value.
 */
export function checkTemplate(t: TemplateContent): TemplateCheck {
  const problems: ErrorDetail[] = [];
  const used = new Map<string, boolean>();
  for (const field of ['subject', 'bodyHtml', 'bodyText'] as const) {
    const value = t[field];
    if (!value) continue;
    const scan = scanTemplate(value);
    for (const p of scan.problems) problems.push({ field, message: `${field}: ${p.message}` });
    for (const ph of scan.placeholders)
      used.set(ph.name, (used.get(ph.name) ?? false) || ph.fallback !== undefined);
  }
  if (t.bodyHtml) {
    for (const p of checkHtml(t.bodyHtml))
      problems.push({ field: 'bodyHtml', message: `bodyHtml: ${p.message}` });
  }
  if (t.channel === 'email') {
    if (!t.subject)
      problems.push({ field: 'subject', message: 'an email template needs a subject' });
    if (!t.bodyHtml && !t.bodyText)
      problems.push({ field: 'bodyHtml', message: 'an email template needs bodyHtml or bodyText' });
  }
  const declared = new Map((t.variables ?? []).map((v) => [v.name, v]));
  if (declared.size !== (t.variables ?? []).length)
    problems.push({ field: 'variables', message: 'variable names must be unique' });

  const warnings: TemplateWarning[] = [];
  for (const [name, hasInlineFallback] of used) {
    const variable = declared.get(name);
    if (!variable && declared.size) {
      warnings.push({
        code: 'UNDECLARED_VARIABLE',
        variable: name,
        message: `{{${name}}} is used but not declared in variables`,
      });
    }
    if (
      !hasInlineFallback &&
      variable?.fallback === undefined &&
      name !== 'email' &&
      name !== 'unsubscribeUrl'
    ) {
      warnings.push({
        code: 'NO_FALLBACK',
        variable: name,
        message: `{{${name}}} has no fallback: leads without it get an empty value`,
      });
    }
  }
  for (const name of declared.keys()) {
    if (!used.has(name))
      warnings.push({
        code: 'UNUSED_VARIABLE',
        variable: name,
        message: `variable ${name} is declared but not used`,
      });
  }
  return { problems, warnings };
}

/** Declared fallbacks fill in where a placeholder has none of its own. */
export function withDeclaredFallbacks(template: string, variables: TemplateVariableDto[]): string {
  const fallbacks = new Map(
    variables.filter((v) => v.fallback !== undefined).map((v) => [v.name, v.fallback as string]),
  );
  if (!fallbacks.size) return template;
  return template.replace(/\{\{\s*([A-Za-z][\w.-]*)\s*\}\}/g, (whole, name: string) =>
    fallbacks.has(name) ? `{{${name}|${JSON.stringify(fallbacks.get(name))}}}` : whole,
  );
}
