import { StepView } from '@app/contracts';
import { StepEntity } from './step.entity';

export function toStepView(s: StepEntity): StepView {
  return {
    id: s.id,
    campaignId: s.campaignId,
    position: s.position,
    type: s.type,
    name: s.name,
    subject: s.subject,
    bodyHtml: s.bodyHtml,
    bodyText: s.bodyText,
    templateId: s.templateId,
    templateVersion: s.templateVersion,
    contentSource: 'step',
    delay: s.delay,
    condition: s.condition,
    webhook: s.webhook,
    variants: s.variants,
    metadata: s.metadata,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
