/** Response shapes of the leads service (camelCase, ISO dates, UUID ids). */
export interface LeadContactView {
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  phone: string | null;
  title: string | null;
}

export interface LeadView {
  id: string;
  email: string;
  source: string;
  campaignId: string | null;
  status: string;
  salesStage: string | null;
  salesRep: string | null;
  notes: string | null;
  followUpDate: string | null;
  contact: LeadContactView;
  profile: { companySize: number | null; industry: string | null; country: string | null };
  qualification: {
    leadScore: number | null;
    engagementScore: number | null;
    interestLevel: string | null;
    budgetRange: string | null;
    timeline: string | null;
  };
  tracking: { utmSource: string | null; utmMedium: string | null; utmCampaign: string | null };
  /** email: null when no consent information was ever recorded (see the workspace's consent policy). */
  consent: { email: boolean | null; source: string | null; updatedAt: string | null };
  suppression: { reason: string; since: string } | null;
  timezone: string | null;
  customFields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface CaptureResult {
  leadId: string;
  /** `captured` for a new lead, `merged` when the email was already known in the workspace. */
  status: 'captured' | 'merged';
  merged: boolean;
  /** Fields the capture changed on an existing lead (empty for a new one). */
  mergedFields: string[];
  lead: LeadView;
  crmSync: { status: 'not_configured'; message: string };
  nextActions: string[];
}

export interface StatusChangeView {
  id: string;
  from: string | null;
  to: string;
  salesStage: string | null;
  note: string | null;
  changedBy: string | null;
  changedAt: string;
}

export interface SegmentView {
  id: string;
  name: string;
  description: string | null;
  type: 'dynamic' | 'static';
  rules: Record<string, unknown> | null;
  memberCount?: number;
  createdAt: string;
  updatedAt: string;
}

export interface SegmentCount {
  segmentId: string;
  count: number;
  tookMs: number;
}

/** How many leads of a segment lack each asked-for placeholder's value (null or empty). */
export interface SegmentFieldCoverage {
  segmentId: string;
  segmentName: string;
  total: number;
  /** Placeholder name → leads of the segment without a value; placeholders that are not lead fields are left out. */
  missing: Record<string, number>;
}

export interface SuppressionView {
  email: string | null;
  emailHash: string;
  reason: string;
  note: string | null;
  createdAt: string;
}

export interface ImportJobView {
  id: string;
  status: string;
  campaignId: string | null;
  fileName: string;
  fileBytes: number;
  duplicatePolicy: string;
  triggerCampaigns: boolean;
  mapping: Record<string, string>;
  progress: {
    rowsDone: number;
    bytesDone: number;
    percent: number;
    rowsPerSecond: number | null;
    etaSeconds: number | null;
  };
  result: { created: number; updated: number; skipped: number; rejected: number };
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  links: { self: string; rejections: string; rejectionsCsv: string };
}

export interface ImportIssueView {
  line: number;
  outcome: 'rejected' | 'skipped';
  reason: string;
  data: Record<string, string>;
}

/**
 * An opened export: a one-time URL on the leads service's HTTP port serving the whole CSV
 * (header and rows, cells neutralised) as a plain byte stream.
 */
export interface ExportTicket {
  url: string;
}

/** One page of a CSV (the import's rejected rows), already rendered by the leads service. */
export interface ExportPage {
  csv: string;
  rows: number;
  nextAfterId: string | null;
}
