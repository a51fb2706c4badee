import { CampaignTaskCounts, CampaignView, StepView, TASK_STATUSES } from '@app/contracts';
import { CampaignEntity } from './campaign.entity';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** No tasks (a campaign just created, or one without any). */
export function noTasks(): CampaignTaskCounts {
  return {
    total: 0,
    byStatus: Object.fromEntries(
      TASK_STATUSES.map((s) => [s, 0]),
    ) as CampaignTaskCounts['byStatus'],
  };
}

export function toCampaignView(
  c: CampaignEntity,
  steps?: StepView[],
  tasks: CampaignTaskCounts = noTasks(),
): CampaignView {
  const base = `/api/v1/campaigns/${c.id}`;
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    type: c.type,
    goal: c.goal,
    channel: c.channel,
    status: c.status,
    targetAudience: c.targetAudience,
    fromEmail: c.fromEmail,
    fromName: c.fromName,
    replyTo: c.replyTo,
    content: c.content,
    schedule: c.schedule,
    budget: c.budget,
    currency: c.currency,
    goals: c.goals,
    kpis: c.kpis,
    channels: c.channels,
    strategy: c.strategy,
    settings: c.settings,
    integrationSettings: c.integrationSettings,
    launch: c.launch,
    statusReason: c.statusReason,
    tasks,
    createdBy: c.createdBy,
    clonedFrom: c.clonedFrom,
    scheduledAt: iso(c.scheduledAt),
    launchedAt: iso(c.launchedAt),
    pausedAt: iso(c.pausedAt),
    completedAt: iso(c.completedAt),
    cancelledAt: iso(c.cancelledAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    ...(steps ? { steps } : {}),
    apiEndpoints: {
      manage: base,
      steps: `${base}/steps`,
      performance: `${base}/performance`,
      analytics: `${base}/analytics`,
      progress: `${base}/progress`,
    },
  };
}
