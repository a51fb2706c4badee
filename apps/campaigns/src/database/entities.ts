import { OutboxEntity } from '@app/database';
import { ApiKeyEntity } from '../accounts/api-key.entity';
import { TenantEntity } from '../accounts/tenant.entity';
import { WorkspaceEntity } from '../accounts/workspace.entity';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { ContentItemEntity } from '../content/content-item.entity';
import { StepEntity } from '../steps/step.entity';
import { TaskEntity } from '../tasks/task.entity';
import { TemplateEntity, TemplateVersionEntity } from '../templates/template.entity';

export const SCHEMA = 'campaigns';

export const campaignsEntities = [
  TenantEntity,
  WorkspaceEntity,
  ApiKeyEntity,
  CampaignEntity,
  StepEntity,
  TaskEntity,
  ContentItemEntity,
  TemplateEntity,
  TemplateVersionEntity,
  OutboxEntity,
];
