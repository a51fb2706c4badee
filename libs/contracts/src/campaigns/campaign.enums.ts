export const CAMPAIGN_TYPES = ['broadcast', 'drip', 'triggered', 'ab_test'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

export const CAMPAIGN_GOALS = [
  'awareness',
  'lead_gen',
  'sales',
  'engagement',
  'retention',
  'onboarding',
  'data_collection',
  'invitation',
  'message',
  'email_marketing',
  'custom',
] as const;
export type CampaignGoal = (typeof CAMPAIGN_GOALS)[number];

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  // A scheduled launch the executor could not start within SCHEDULE_GRACE_MS: waits for a user.
  'schedule_missed',
  'active',
  'paused',
  'completed',
  'cancelled',
  'failed',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CHANNELS = ['email', 'webhook'] as const;
export type ChannelKind = (typeof CHANNELS)[number];

/**
 * A campaign runs once: recurring runs (daily, weekly, ...) are not supported, and refused
 * rather than stored and ignored (docs/architecture.md).
 */
export const SCHEDULE_FREQUENCIES = ['once'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const STEP_TYPES = ['email', 'wait', 'condition', 'webhook'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const TASK_STATUSES = [
  'pending',
  'in_progress',
  'completed',
  'cancelled',
  'blocked',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const CONTENT_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export const CONTENT_TYPES = [
  'blog',
  'email',
  'social_post',
  'video',
  'image',
  'ad',
  'landing_page',
  'other',
] as const;
export const LAUNCH_PRIORITIES = ['low', 'normal', 'high'] as const;
