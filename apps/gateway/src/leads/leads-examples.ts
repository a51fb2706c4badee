/** Response examples of the leads routes, shown in /docs. */
const LEAD_ID = '5b8f3c2d-9a1e-4f6b-8c7d-2e3f4a5b6c7d';
const CAMPAIGN_ID = '3f1c2a8e-0d4b-4a53-9b3e-6f2a1c9d8e7f';
const SEGMENT_ID = '8d7c6b5a-4e3f-4a1b-9c8d-7e6f5a4b3c2d';
const JOB_ID = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const AT = '2025-01-15T09:00:00.000Z';

export const LEAD_EXAMPLE = {
  id: LEAD_ID,
  email: 'john.doe@company.com',
  source: 'website_form',
  campaignId: CAMPAIGN_ID,
  status: 'new',
  salesStage: null,
  salesRep: null,
  notes: null,
  followUpDate: null,
  contact: {
    email: 'john.doe@company.com',
    firstName: 'John',
    lastName: 'Doe',
    company: 'Tech Corp',
    phone: '+1-555-0123',
    title: 'Marketing Director',
  },
  profile: { companySize: 250, industry: 'technology', country: 'US' },
  qualification: {
    leadScore: 85,
    engagementScore: 80,
    interestLevel: 'high',
    budgetRange: '25000-50000',
    timeline: '1-3_months',
  },
  tracking: { utmSource: 'google_ads', utmMedium: 'cpc', utmCampaign: 'q1_product_launch' },
  consent: { email: true, source: 'website_form_checkbox', updatedAt: AT },
  suppression: null,
  timezone: 'America/New_York',
  customFields: { age: 34, interests: ['technology', 'shopping'], lastPurchaseAt: '2024-11-02' },
  createdAt: AT,
  updatedAt: AT,
};

export const CAPTURE_EXAMPLE = {
  leadId: LEAD_ID,
  status: 'captured',
  merged: false,
  mergedFields: [],
  lead: LEAD_EXAMPLE,
  crmSync: {
    status: 'not_configured',
    message: 'No CRM integration is configured; lead.captured was published on lead.events',
  },
  nextActions: ['assign_to_sales_rep', 'trigger_nurture_sequence', 'schedule_follow_up'],
};

export const HISTORY_EXAMPLE = [
  {
    id: '1',
    from: null,
    to: 'new',
    salesStage: null,
    note: 'captured',
    changedBy: null,
    changedAt: AT,
  },
  {
    id: '2',
    from: 'new',
    to: 'qualified',
    salesStage: 'discovery_call_scheduled',
    note: 'Qualified on the intro call',
    changedBy: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    changedAt: AT,
  },
];

export const SEGMENT_EXAMPLE = {
  id: SEGMENT_ID,
  name: 'Enterprise tech in North America',
  description: 'Seed audience for the Q1 launch',
  type: 'dynamic',
  rules: {
    combinator: 'and',
    rules: [
      { field: 'companySize', operator: 'between', value: [50, 500] },
      { field: 'industry', operator: 'in', value: ['technology', 'finance'] },
      { field: 'engagementScore', operator: 'gt', value: 75 },
      { field: 'country', operator: 'in', value: ['US', 'CA'] },
    ],
  },
  createdAt: AT,
  updatedAt: AT,
};

export const SEGMENT_COUNT_EXAMPLE = { segmentId: SEGMENT_ID, count: 48213, tookMs: 182 };

export const SUPPRESSION_EXAMPLE = {
  email: 'jane@example.com',
  emailHash: '3b1f0c1d2e4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344',
  reason: 'unsubscribed',
  note: null,
  createdAt: AT,
};

export const IMPORT_EXAMPLE = {
  id: JOB_ID,
  status: 'running',
  campaignId: null,
  fileName: 'leads.csv',
  fileBytes: 104857600,
  duplicatePolicy: 'skip',
  mapping: {
    'E-mail': 'email',
    'First Name': 'firstName',
    'Referral Code': 'customFields.referralCode',
  },
  progress: {
    rowsDone: 420000,
    bytesDone: 44040192,
    percent: 42,
    rowsPerSecond: 61000,
    etaSeconds: 9,
  },
  result: { created: 419200, updated: 0, skipped: 600, rejected: 200 },
  error: null,
  startedAt: AT,
  finishedAt: null,
  createdAt: AT,
  links: {
    self: `/api/v1/leads/imports/${JOB_ID}`,
    rejections: `/api/v1/leads/imports/${JOB_ID}/rejections`,
    rejectionsCsv: `/api/v1/leads/imports/${JOB_ID}/rejections.csv`,
  },
};

export const IMPORT_ISSUE_EXAMPLE = {
  line: 7,
  outcome: 'rejected',
  reason: 'email "not-an-email" is not a valid address',
  data: { 'E-mail': 'not-an-email', 'First Name': 'Ann' },
};

export const SEGMENT_FIELDS_EXAMPLE = {
  fields: [
    { name: 'companySize', type: 'number' },
    { name: 'industry', type: 'string' },
  ],
  customFields: 'customFields.<key> (type taken from the value in the rule)',
  operators: [
    'eq',
    'neq',
    'in',
    'not_in',
    'contains',
    'gt',
    'gte',
    'lt',
    'lte',
    'between',
    'exists',
  ],
  combinators: ['and', 'or'],
};

export const EXPORT_CSV_EXAMPLE =
  'id,email,firstName,lastName,company,...,customFields,createdAt,updatedAt\r\n' +
  `${LEAD_ID},john.doe@company.com,John,Doe,Tech Corp,...,"{""age"": 34}",${AT},${AT}\r\n` +
  `${JOB_ID},eve@example.com,'=HYPERLINK(""http://x""),,,...,{},${AT},${AT}\r\n`;

export const REJECTIONS_CSV_EXAMPLE =
  'line,outcome,reason,E-mail,First Name\r\n' +
  '5,rejected,"email ""not-an-email"" is not a valid address",not-an-email,Ann\r\n' +
  '6,skipped,duplicate of line 2 in this file,ann@example.com,\r\n';
