/**
 * The built-in lead fields: API name → SQL column and type. Rules, list filters, sorting and
 * CSV mapping all read this one table, so a client can only ever name these columns.
 * Everything else a workspace tracks lives in customFields (jsonb).
 */
export type FieldType = 'string' | 'number' | 'date' | 'boolean' | 'uuid';

export interface FieldDef {
  column: string;
  type: FieldType;
}

export const LEAD_FIELDS: Record<string, FieldDef> = {
  email: { column: 'email_normalized', type: 'string' },
  firstName: { column: 'first_name', type: 'string' },
  lastName: { column: 'last_name', type: 'string' },
  company: { column: 'company', type: 'string' },
  phone: { column: 'phone', type: 'string' },
  title: { column: 'title', type: 'string' },
  companySize: { column: 'company_size', type: 'number' },
  industry: { column: 'industry', type: 'string' },
  country: { column: 'country', type: 'string' },
  source: { column: 'source', type: 'string' },
  campaignId: { column: 'campaign_id', type: 'uuid' },
  leadScore: { column: 'lead_score', type: 'number' },
  engagementScore: { column: 'engagement_score', type: 'number' },
  interestLevel: { column: 'interest_level', type: 'string' },
  budgetRange: { column: 'budget_range', type: 'string' },
  timeline: { column: 'timeline', type: 'string' },
  utmSource: { column: 'utm_source', type: 'string' },
  utmMedium: { column: 'utm_medium', type: 'string' },
  utmCampaign: { column: 'utm_campaign', type: 'string' },
  status: { column: 'status', type: 'string' },
  salesStage: { column: 'sales_stage', type: 'string' },
  salesRep: { column: 'sales_rep', type: 'string' },
  timezone: { column: 'timezone', type: 'string' },
  consent: { column: 'consent_email', type: 'boolean' },
  followUpDate: { column: 'follow_up_at', type: 'date' },
  createdAt: { column: 'created_at', type: 'date' },
  updatedAt: { column: 'updated_at', type: 'date' },
};

/** Custom fields are named `customFields.<key>`; keys are plain identifiers. */
export const CUSTOM_PREFIX = 'customFields.';
export const CUSTOM_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
