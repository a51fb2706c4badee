import { LeadContactData, LeadView } from '@app/contracts';

/** A leads.leads row as SQL returns it (plus the suppression columns the reads join in). */
export interface LeadRow {
  id: string;
  tenant_id: string;
  workspace_id: string;
  email: string;
  email_normalized: string;
  email_hash: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  phone: string | null;
  title: string | null;
  company_size: number | null;
  industry: string | null;
  country: string | null;
  source: string;
  campaign_id: string | null;
  lead_score: number | null;
  engagement_score: number | null;
  interest_level: string | null;
  budget_range: string | null;
  timeline: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  status: string;
  sales_stage: string | null;
  sales_rep: string | null;
  notes: string | null;
  follow_up_at: Date | null;
  timezone: string | null;
  /** NULL: no consent information (what it means is the workspace's consent mode). */
  consent_email: boolean | null;
  consent_source: string | null;
  consent_at: Date | null;
  custom_fields: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  suppression_reason?: string | null;
  suppressed_at?: Date | null;
}

/** Reads select this: the lead and, if its address is suppressed, why and since when. */
export const LEAD_SELECT = `l.*, s.reason AS suppression_reason, s.created_at AS suppressed_at
  FROM leads.leads l
  LEFT JOIN leads.suppressions s ON s.workspace_id = l.workspace_id AND s.email_hash = l.email_hash`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toLeadView(r: LeadRow): LeadView {
  return {
    id: r.id,
    email: r.email,
    source: r.source,
    campaignId: r.campaign_id,
    status: r.status,
    salesStage: r.sales_stage,
    salesRep: r.sales_rep,
    notes: r.notes,
    followUpDate: iso(r.follow_up_at),
    contact: {
      email: r.email,
      firstName: r.first_name,
      lastName: r.last_name,
      company: r.company,
      phone: r.phone,
      title: r.title,
    },
    profile: { companySize: r.company_size, industry: r.industry, country: r.country },
    qualification: {
      leadScore: r.lead_score,
      engagementScore: r.engagement_score,
      interestLevel: r.interest_level,
      budgetRange: r.budget_range,
      timeline: r.timeline,
    },
    tracking: { utmSource: r.utm_source, utmMedium: r.utm_medium, utmCampaign: r.utm_campaign },
    consent: { email: r.consent_email, source: r.consent_source, updatedAt: iso(r.consent_at) },
    suppression: r.suppression_reason
      ? { reason: r.suppression_reason, since: iso(r.suppressed_at ?? null)! }
      : null,
    timezone: r.timezone,
    customFields: r.custom_fields,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The contact copy carried on lead events. */
export function toContactData(r: LeadRow): LeadContactData {
  return {
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    company: r.company,
    title: r.title,
    phone: r.phone,
    timezone: r.timezone,
    consent: r.consent_email,
    customFields: r.custom_fields,
  };
}
