/** Event types on `lead.events` (key: lead id; `lead.imported` is keyed by workspace id). */
export const LeadEventTypes = {
  captured: 'lead.captured',
  updated: 'lead.updated',
  statusChanged: 'lead.status_changed',
  imported: 'lead.imported',
  suppressed: 'lead.suppressed',
  unsuppressed: 'lead.unsuppressed',
  erased: 'lead.erased',
  deleted: 'lead.deleted',
} as const;

/** Contact fields other services keep a copy of (the executor, to send). */
export interface LeadContactData {
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  phone: string | null;
  timezone: string | null;
  /** null: no consent information recorded (the workspace's consent policy decides). */
  consent: boolean | null;
  customFields: Record<string, unknown>;
}

/** lead.captured: a new lead, or a known email captured again (`merged: true`). */
export interface LeadCapturedData {
  leadId: string;
  source: string;
  campaignId: string | null;
  merged: boolean;
  mergedFields: string[];
  status: string;
  contact: LeadContactData;
}

/** lead.updated: `changed` names the API fields that changed; `contact` is the state after. */
export interface LeadUpdatedData {
  leadId: string;
  changed: string[];
  contact: LeadContactData;
  importJobId?: string;
}

export interface LeadStatusChangedData {
  leadId: string;
  from: string;
  to: string;
  salesStage: string | null;
  salesRep: string | null;
}

export interface LeadImportedData {
  jobId: string;
  campaignId: string | null;
  status: 'completed' | 'failed';
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
}

/** lead.suppressed / lead.unsuppressed: leadId is null when no lead has that address. */
export interface LeadSuppressionData {
  leadId: string | null;
  email: string;
  emailHash: string;
  reason: string;
}

/**
 * lead.erased: no personal data, on purpose (Kafka keeps it); consumers drop their copy by
 * leadId, and can match addresses by emailHash = sha256(workspaceId + ':' + normalised email).
 */
export interface LeadErasedData {
  leadId: string;
  emailHash: string;
}

export interface LeadDeletedData {
  leadId: string;
  email: string;
}
