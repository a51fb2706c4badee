import { CampaignStatistics } from '../analytics/views';
import { TaskStatus } from './campaign.enums';

/** Response shapes of the campaigns service (camelCase, ISO dates, UUID ids). */
export interface CampaignView {
  id: string;
  name: string;
  description: string | null;
  type: string;
  goal: string | null;
  channel: string;
  status: string;
  targetAudience: Record<string, unknown>;
  fromEmail: string | null;
  fromName: string | null;
  replyTo: string | null;
  content: Record<string, unknown>;
  schedule: Record<string, unknown>;
  budget: number | null;
  currency: string;
  goals: Record<string, unknown>;
  kpis: unknown[];
  channels: unknown[];
  strategy: Record<string, unknown>;
  settings: Record<string, unknown>;
  integrationSettings: Record<string, unknown>;
  launch: Record<string, unknown> | null;
  statusReason: string | null;
  /**
   * All-time figures from analytics, added by the gateway (the campaigns service does not
   * count); null when analytics could not answer.
   */
  statistics?: CampaignStatistics | null;
  /** The campaign's tasks (`/tasks`) by status. */
  tasks: CampaignTaskCounts;
  createdBy: string | null;
  clonedFrom: string | null;
  scheduledAt: string | null;
  launchedAt: string | null;
  pausedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
  steps?: StepView[];
  apiEndpoints: Record<string, string>;
}

export interface CampaignTaskCounts {
  total: number;
  byStatus: Record<TaskStatus, number>;
}

export interface StepView {
  id: string;
  campaignId: string;
  position: number;
  type: string;
  name: string | null;
  subject: string | null;
  bodyHtml: string | null;
  bodyText: string | null;
  templateId: string | null;
  templateVersion: number | null;
  /** Where subject and bodies come from: the step itself, or its template's (pinned or current) version. */
  contentSource: 'step' | 'template';
  delay: { amount: number; unit: string } | null;
  condition: Record<string, unknown> | null;
  webhook: Record<string, unknown> | null;
  variants: Array<{
    id: string;
    name: string;
    weight: number;
    subject?: string;
    bodyHtml?: string;
    bodyText?: string;
    templateId?: string;
    templateVersion?: number;
    /** Present when the variant's content comes from its template. */
    contentSource?: 'template';
  }>;
  metadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface TaskView {
  id: string;
  campaignId: string;
  title: string;
  description: string | null;
  assignee: string | null;
  dueDate: string | null;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export interface ContentView {
  id: string;
  campaignId: string;
  title: string;
  contentType: string | null;
  platform: string | null;
  scheduledDate: string | null;
  status: string;
  body: string | null;
  assignee: string | null;
  media: { fileName: string; mimeType: string; size: number; url: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface TransitionResult {
  campaign: CampaignView;
  from: string;
  to: string;
  message: string;
  /** Launch and schedule only: the id of this launch, also in `/progress` and `launch`. */
  executionId?: string;
  /** Launch and schedule only: null, as nothing is known of the send rate yet (`/progress`). */
  estimatedCompletion?: string | null;
}
