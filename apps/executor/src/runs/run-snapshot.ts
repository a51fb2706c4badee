import { CampaignView, StepView } from '@app/contracts';

/** What a run freezes at launch: later edits to the campaign don't change a running send. */
export interface RunSnapshot {
  name: string;
  channel: string;
  fromEmail: string | null;
  fromName: string | null;
  replyTo: string | null;
  settings: RunSettings;
  targetAudience: { segments?: string[]; filters?: Record<string, unknown> };
  steps: StepView[];
  priority: string;
  /** `schedule.timezone` at launch: the zone dailyLimit counts days in (absent: UTC). */
  timezone?: string | null;
  /** The id the launch answered with (`executionId`); absent for runs launched before it. */
  executionId?: string | null;
}

export interface RunSettings {
  dailyLimit?: number;
  trackOpens?: boolean;
  trackClicks?: boolean;
  stopOnReply?: boolean;
  testRecipients?: string[];
  sendWindow?: { start: string; end: string; days?: string[]; fallbackTimezone?: string };
  channelAccountId?: string;
  abTest?: AbTestSettings;
}

export interface AbTestSettings {
  testPercentage: number;
  winnerMetric: 'open_rate' | 'click_rate';
  decideAfter: { amount: number; unit: 'seconds' | 'minutes' | 'hours' | 'days' };
}

export interface CampaignRun {
  campaignId: string;
  tenantId: string;
  workspaceId: string;
  status: string;
  campaignType: string;
  testMode: boolean;
  targetPercentage: number;
  snapshot: RunSnapshot;
}

export function snapshotOf(c: CampaignView, priority: string): RunSnapshot {
  return {
    name: c.name,
    channel: c.channel,
    fromEmail: c.fromEmail,
    fromName: c.fromName,
    replyTo: c.replyTo,
    settings: c.settings as RunSettings,
    targetAudience: c.targetAudience as RunSnapshot['targetAudience'],
    steps: [...(c.steps ?? [])].sort((a, b) => a.position - b.position),
    priority,
    timezone: typeof c.schedule?.timezone === 'string' ? c.schedule.timezone : null,
  };
}

/** Step types that produce a delivery (and count in progress). */
export const SENDING_STEP_TYPES = ['email', 'webhook'];
