/** Sales pipeline statuses; the legal moves between them live in apps/leads (lead-pipeline.ts). */
export const LEAD_STATUSES = [
  'new',
  'contacted',
  'nurturing',
  'qualified',
  'unqualified',
  'proposal',
  'negotiation',
  'won',
  'lost',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const INTEREST_LEVELS = ['low', 'medium', 'high'] as const;

export const SUPPRESSION_REASONS = ['unsubscribed', 'bounced', 'complained', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export const DUPLICATE_POLICIES = ['skip', 'update'] as const;
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const SEGMENT_TYPES = ['dynamic', 'static'] as const;

export const RULE_OPERATORS = [
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
] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];
