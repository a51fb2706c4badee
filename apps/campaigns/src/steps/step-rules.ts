import { ErrorDetail } from '@app/common';
import { scanTemplate } from '@app/templating';
import { StoredVariant } from './step.entity';

export interface StepShape {
  type: string;
  subject?: string | null;
  bodyHtml?: string | null;
  bodyText?: string | null;
  templateId?: string | null;
  delay?: { amount: number; unit: string } | null;
  condition?: object | null;
  webhook?: { url?: string } | null;
  variants?: Omit<StoredVariant, 'id'>[];
}

function checkTemplate(field: string, value: string | null | undefined, out: ErrorDetail[]): void {
  if (!value) return;
  for (const problem of scanTemplate(value).problems)
    out.push({ field, message: `${field}: ${problem.message}` });
}

/** Everything a step must satisfy before it is saved, as a list of problems (empty when valid). */
export function validateStep(step: StepShape): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  checkTemplate('subject', step.subject, problems);
  checkTemplate('bodyHtml', step.bodyHtml, problems);
  checkTemplate('bodyText', step.bodyText, problems);
  const variants = step.variants ?? [];
  variants.forEach((v, i) => {
    checkTemplate(`variants[${i}].subject`, v.subject, problems);
    checkTemplate(`variants[${i}].bodyHtml`, v.bodyHtml, problems);
    checkTemplate(`variants[${i}].bodyText`, v.bodyText, problems);
  });

  switch (step.type) {
    case 'email': {
      const hasBody = Boolean(step.bodyHtml || step.bodyText || step.templateId);
      if (
        !step.subject &&
        !step.templateId &&
        !(variants.length && variants.every((v) => v.subject || v.templateId))
      ) {
        problems.push({
          field: 'subject',
          message:
            'an email step needs a subject (on the step or its template, or on every variant or its template)',
        });
      }
      if (
        !hasBody &&
        !(variants.length && variants.every((v) => v.bodyHtml || v.bodyText || v.templateId))
      ) {
        problems.push({
          field: 'bodyHtml',
          message: 'an email step needs bodyHtml, bodyText or templateId',
        });
      }
      break;
    }
    case 'wait':
      if (!step.delay)
        problems.push({ field: 'delay', message: 'a wait step needs delay {amount, unit}' });
      break;
    case 'condition':
      if (!step.condition)
        problems.push({ field: 'condition', message: 'a condition step needs condition {kind}' });
      break;
    case 'webhook':
      if (!step.webhook?.url)
        problems.push({ field: 'webhook.url', message: 'a webhook step needs webhook.url' });
      break;
  }

  if (variants.length) {
    if (step.type !== 'email')
      problems.push({ field: 'variants', message: 'only email steps have variants' });
    if (variants.length < 2)
      problems.push({ field: 'variants', message: 'an A/B step needs at least two variants' });
    if (variants.reduce((sum, v) => sum + v.weight, 0) <= 0) {
      problems.push({ field: 'variants', message: 'variant weights must add up to more than 0' });
    }
    const names = new Set(variants.map((v) => v.name));
    if (names.size !== variants.length)
      problems.push({ field: 'variants', message: 'variant names must be unique' });
  }
  return problems;
}
