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
  targetAudience: { segments: [ID], filters: { locations: ['US', 'CA'] }, totalCount: 8500 },
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
  tasks: {
    total: 5,
    byStatus: { pending: 1, in_progress: 1, completed: 2, cancelled: 0, blocked: 1 },
  },
  statistics: {
    sent: 1200,
    delivered: 1188,
    opened: 402,
    clicked: 96,
    replied: 31,
    converted: 12,
    bounced: 12,
    failed: 3,
    unsubscribed: 4,
    openRate: 33.84,
    clickRate: 8.08,
    replyRate: 2.61,
    conversionRate: 1.01,
    revenue: 1440,
    cost: 300,
  },
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

/** A launch (launch, execute, send start) also answers with the launch's id (seed 004). */
export const LAUNCH_EXAMPLE = {
  ...TRANSITION_EXAMPLE,
  campaign: { ...CAMPAIGN_EXAMPLE, status: 'active' },
  from: 'draft',
  to: 'active',
  message: 'Campaign active',
  executionId: '5d2c8e1a-7b3f-4c60-9a1e-2f4b6d8c0e13',
  estimatedCompletion: null,
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

const COUNTS_EXAMPLE = {
  queued: 12500,
  sent: 12500,
  delivered: 12400,
  failed: 15,
  bounced: 85,
  uncertain: 0,
  opened: 3720,
  opens: 5210,
  clicked: 892,
  clicks: 1204,
  replied: 14,
  replies: 17,
  unsubscribed: 12,
  complained: 1,
  converted: 156,
};
const RATES_EXAMPLE = {
  deliveryRate: 99.2,
  openRate: 30,
  clickRate: 7.19,
  clickToOpenRate: 23.98,
  replyRate: 0.11,
  conversionRate: 1.26,
  bounceRate: 0.68,
  unsubscribeRate: 0.1,
};

export const PERFORMANCE_EXAMPLE = {
  campaignId: CAMPAIGN_ID,
  metrics: COUNTS_EXAMPLE,
  rates: RATES_EXAMPLE,
  revenue: {
    attributedRevenue: 40200,
    externalRevenue: 5000,
    totalRevenue: 45200,
    cost: 8925,
    conversions: 206,
    costPerAcquisition: 43.33,
    roi: 406.44,
  },
  external: { impressions: 10000, clicks: 500, conversions: 50, cost: 8925, revenue: 5000 },
};

export const STATISTICS_EXAMPLE = {
  campaignId: CAMPAIGN_ID,
  period: '7d',
  range: { from: '2025-01-08T09:00:00.000Z', to: '2025-01-15T10:00:00.000Z' },
  overview: { messagesSent: 12500, read: 3720, ...COUNTS_EXAMPLE, revenue: 45200 },
  performance: { ...RATES_EXAMPLE, readRate: 30 },
  timelineBucket: 'day',
  timeline: [
    {
      date: AT,
      sent: 1000,
      delivered: 992,
      opened: 301,
      clicked: 70,
      conversions: 12,
      revenue: 3100,
    },
  ],
  segments: [
    {
      segmentId: ID,
      name: 'Premium Users',
      performance: { ...COUNTS_EXAMPLE, ...RATES_EXAMPLE, revenue: 12000 },
      openRateDelta: 4.1,
    },
  ],
};

export const EXTERNAL_METRICS_EXAMPLE = {
  campaignId: CAMPAIGN_ID,
  date: '2025-06-15',
  source: 'facebook',
  metrics: {
    impressions: 10000,
    clicks: 500,
    conversions: 50,
    cost: 250,
    revenue: 5000,
    customMetrics: { engagementRate: 0.05 },
  },
  replaced: false,
  previous: null,
  recordedAt: AT,
  message: 'Recorded metrics for facebook on 2025-06-15',
};

export const EXTERNAL_METRICS_ROW_EXAMPLE = {
  date: EXTERNAL_METRICS_EXAMPLE.date,
  source: EXTERNAL_METRICS_EXAMPLE.source,
  metrics: EXTERNAL_METRICS_EXAMPLE.metrics,
  recordedAt: AT,
};

export const CONVERSION_EXAMPLE = {
  conversionId: ID,
  externalId: 'order-10023',
  leadId: ID,
  email: null,
  value: 129.9,
  currency: 'USD',
  occurredAt: AT,
  attributed: true,
  attribution: {
    rule: 'last_click',
    campaignId: CAMPAIGN_ID,
    stepId: ID,
    variantId: 'B',
    touchedAt: AT,
  },
  duplicate: false,
};

export const CROSS_CAMPAIGN_EXAMPLE = {
  range: { from: '2025-01-01T00:00:00.000Z', to: '2025-02-01T00:00:00.000Z' },
  summary: {
    totalCampaigns: 8,
    totalRecipients: 125000,
    averageOpenRate: 28.5,
    averageClickRate: 6.8,
    totalRevenue: 385000,
    totalCost: 90000,
    overallRoi: 327.78,
  },
  campaigns: [
    {
      campaignId: CAMPAIGN_ID,
      name: 'Q1 Product Launch',
      status: 'active',
      metrics: {
        sent: 12500,
        delivered: 12400,
        opened: 3750,
        clicked: 900,
        converted: 156,
        revenue: 45200,
        cost: 8925,
      },
      rates: { openRate: 30.24, clickRate: 7.26 },
      roi: 406.44,
    },
  ],
  insights: [
    {
      type: 'best_weekday',
      message: 'Messages on Tuesdays show a 33.1% open rate, 15.2% above the 28.73% average',
      recommendation: 'Consider scheduling sends for Tuesdays',
      data: { weekday: 'Tuesdays', openRate: 33.1, averageOpenRate: 28.73, liftPercent: 15.21 },
    },
  ],
};
