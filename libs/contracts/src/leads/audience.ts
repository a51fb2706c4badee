/**
 * How the executor gets a campaign's audience from the leads service (RPC
 * `LeadsRpc.resolveAudience`), page by page, so enrollment never reads the leads schema.
 * Suppressed and unconsented leads are excluded by the leads service and counted.
 */
export interface AudienceRequest {
  segmentIds: string[];
  /** Extra filters from the campaign's targetAudience.filters, same keys as segment rules. */
  filters?: Record<string, unknown>;
  /** Keep only this share of the audience, chosen deterministically by lead id hash. */
  targetPercentage?: number;
  /** Salt for the deterministic sampling (the campaign id), so reruns pick the same leads. */
  sampleSalt?: string;
  /** Keyset pagination: the last lead id of the previous page. */
  afterId?: string;
  /** Page size, at most 50,000. */
  limit?: number;
  /**
   * `contacts` (default): one object per contact. `copy`: the page as Postgres COPY text in
   * AUDIENCE_COPY_COLUMNS order (AudiencePage.copy), what enrollment writes as it is: no
   * object per contact on either side of the RPC.
   */
  format?: 'contacts' | 'copy';
}

/**
 * The columns of an audience page in the `copy` format: COPY's text format, one line per
 * contact (tab-separated, `\N` for null, backslash, tab, CR and LF escaped), each ending in LF;
 * custom_fields is its JSON text.
 */
export const AUDIENCE_COPY_COLUMNS = [
  'lead_id',
  'email',
  'first_name',
  'last_name',
  'company',
  'title',
  'phone',
  'timezone',
  'source',
  'segment_id',
  'custom_fields',
] as const;

export interface AudienceContact {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  phone: string | null;
  timezone: string | null;
  /** Lead source (website_form, import, ...), carried on message events for breakdowns. */
  source: string | null;
  /** The first of the requested segments this lead belongs to (null for filter-only audiences). */
  segmentId: string | null;
  customFields: Record<string, unknown>;
}

/** A contact known only by id and address (every other field empty), `fields` filling some in. */
export function bareContact(
  id: string,
  email: string,
  fields: Partial<AudienceContact> = {},
): AudienceContact {
  return {
    id,
    email,
    firstName: null,
    lastName: null,
    company: null,
    title: null,
    phone: null,
    timezone: null,
    source: null,
    segmentId: null,
    customFields: {},
    ...fields,
  };
}

export interface AudiencePage {
  /** The page's contacts; empty when the page came as `copy`. */
  contacts: AudienceContact[];
  /** Format `copy`: the page's contacts as COPY text (AUDIENCE_COPY_COLUMNS) and how many. */
  copy?: { rows: number; text: string };
  /** Pass as afterId for the next page; null when this was the last page. */
  nextAfterId: string | null;
  /** Only on the first page (no afterId): counts for the whole audience. */
  totals?: {
    matched: number;
    eligible: number;
    excluded: { suppressed: number; unconsented: number; sampledOut: number };
  };
}

/** Send-time re-check: which of these emails may still be mailed (not suppressed, consented). */
export interface SendableRequest {
  emails: string[];
}
export interface SendableResponse {
  blocked: Array<{
    email: string;
    reason: 'unsubscribed' | 'bounced' | 'complained' | 'manual' | 'no_consent' | 'erased';
  }>;
}
