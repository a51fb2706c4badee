/** Response examples shown in /docs. */
const ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const CAMPAIGN_ID = '3f1c2a8e-0d4b-4a53-9b3e-6f2a1c9d8e7f';
const WS = '9b2d7c1e-4f5a-4c3b-8d2e-1a0b9c8d7e6f';
const AT = '2025-01-15T09:00:00.000Z';

export const WORKSPACE_EXAMPLE = {
  id: WS,
  tenantId: ID,
  slug: 'acme-marketing',
  name: 'Acme Marketing',
  createdAt: AT,
};

export const KEY_EXAMPLE = {
  id: ID,
  name: 'CI pipeline',
  prefix: 'cpk_ab12cd34ef56',
  scope: 'workspace',
  workspaceId: WS,
  createdAt: AT,
  lastUsedAt: null,
  revokedAt: null,
};

export const PAGINATION_EXAMPLE = {
  total: 45,
  page: 1,
  limit: 20,
  offset: 0,
  pages: 3,
  hasMore: true,
};

export const STEP_EXAMPLE = {
  id: ID,
  campaignId: CAMPAIGN_ID,
  position: 1,
  type: 'email',
  name: 'Welcome',
  subject: 'Hello {{firstName|there}}',
  bodyHtml: '<p>Hi {{firstName|there}}</p>',
  bodyText: null,
  templateId: null,
  delay: null,
  condition: null,
  webhook: null,
  variants: [],
  metadata: {},
  createdAt: AT,
  updatedAt: AT,
};

export const CAMPAIGN_EXAMPLE = {
  id: CAMPAIGN_ID,
  name: 'Q1 Product Launch Campaign',
  description: 'Promotional campaign for the Q1 launch',
  type: 'drip',
  goal: 'lead_gen',
  channel: 'email',
  status: 'draft',
  targetAudience: { segments: [ID], filters: { locations: ['US', 'CA'] } },
  fromEmail: 'news@example.com',
  fromName: 'Acme Marketing',
  replyTo: null,
  content: { subject: 'Introducing Our Latest Innovation', templateId: 'template_123' },
  schedule: { startDate: AT, timezone: 'America/New_York', frequency: 'once' },
  budget: 10000,
  currency: 'USD',
  goals: {
    primary: 'Increase sales by 30%',
    kpis: [{ name: 'conversions', target: 1000, current: 0 }],
  },
  kpis: [],
  channels: [],
  strategy: {},
  settings: { dailyLimit: 500, trackOpens: true, trackClicks: true },
  integrationSettings: { crmSync: true, attributionTracking: true },
  launch: null,
  statusReason: null,
  statistics: { sent: 0, delivered: 0, opened: 0, clicked: 0, replied: 0, converted: 0, failed: 0 },
  createdBy: 'user_123',
  clonedFrom: null,
  scheduledAt: null,
  launchedAt: null,
  pausedAt: null,
  completedAt: null,
  cancelledAt: null,
  createdAt: AT,
  updatedAt: AT,
  apiEndpoints: {
    manage: `/api/v1/campaigns/${CAMPAIGN_ID}`,
    performance: `/api/v1/campaigns/${CAMPAIGN_ID}/performance`,
    analytics: `/api/v1/campaigns/${CAMPAIGN_ID}/analytics`,
  },
};

export const TRANSITION_EXAMPLE = {
  campaign: { ...CAMPAIGN_EXAMPLE, status: 'paused', pausedAt: AT },
  from: 'active',
  to: 'paused',
  message: 'Campaign paused',
};

export const TASK_EXAMPLE = {
  id: ID,
  campaignId: CAMPAIGN_ID,
  title: 'Create ad copy',
  description: 'Write compelling ad copy for Facebook',
  assignee: 'maria@example.com',
  dueDate: '2025-01-20T00:00:00.000Z',
  status: 'pending',
  createdAt: AT,
  updatedAt: AT,
};

export const CONTENT_EXAMPLE = {
  id: ID,
  campaignId: CAMPAIGN_ID,
  title: 'New Blog Post',
  contentType: 'blog',
  platform: 'wordpress',
  scheduledDate: '2025-01-20T10:00:00.000Z',
  status: 'draft',
  body: 'Content description',
  assignee: 'maria@example.com',
  media: {
    fileName: 'hero.png',
    mimeType: 'image/png',
    size: 48213,
    url: `/api/v1/campaigns/${CAMPAIGN_ID}/content/${ID}/media`,
  },
  createdAt: AT,
  updatedAt: AT,
};

export const DELETED_EXAMPLE = { id: ID, message: 'Deleted successfully' };
