import {
  TemplateVariableDto,
  TemplateVersionView,
  TemplateView,
  TemplateWarning,
} from '@app/contracts';
import { TemplateEntity, TemplateVersionEntity } from './template.entity';

export function toVersionView(v: TemplateVersionEntity): TemplateVersionView {
  return {
    version: v.version,
    subject: v.subject,
    bodyHtml: v.bodyHtml,
    bodyText: v.bodyText,
    textGenerated: v.textGenerated,
    variables: v.variables as TemplateVariableDto[],
    createdAt: v.createdAt.toISOString(),
  };
}

export function toTemplateView(
  t: TemplateEntity,
  v: TemplateVersionEntity,
  warnings: TemplateWarning[],
): TemplateView {
  return {
    id: t.id,
    name: t.name,
    channel: t.channel,
    description: t.description,
    tags: t.tags,
    ...toVersionView(v),
    warnings,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
