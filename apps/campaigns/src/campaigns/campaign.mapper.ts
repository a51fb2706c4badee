import { CampaignView, StepView } from '@app/contracts';
import { CampaignEntity } from './campaign.entity';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toCampaignView(c: CampaignEntity, steps?: StepView[]): CampaignView {
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
