/** `GET /api/v1/campaigns/:id/progress`: where a campaign's sending stands right now. */
export interface CampaignProgressView {
  campaignId: string;
  /** The launch's id, as its response gave it; null before the run exists. */
  executionId: string | null;
  status: string;
  progress: {
    percentage: number;
    /** Deliveries that reached an outcome (sent, failed, uncertain, skipped). */
    processed: number;
    /** Enrolled contacts times the sending steps each one has to go through. */
    total: number;
    successful: number;
    failed: number;
    /** Outcome unknown (the process died mid-send); never resent, counted apart. */
    uncertain: number;
    skipped: number;
  };
  enrollments: Record<string, number>;
  /** Sends per second over the last minute. */
  currentRate: number;
  estimatedCompletion: string | null;
  errors: Array<{ code: string; count: number; message: string }>;
  testMode: boolean;
  /** Present for `ab_test` campaigns launched with `settings.abTest`. */
  abTest?: AbTestProgressView;
}

export interface AbVariantStats {
  variantId: string;
  name: string;
  sent: number;
  opens: number;
  clicks: number;
  /** opens / sent, 0–1 (0 when nothing was sent). */
  openRate: number;
  clickRate: number;
}

/**
 * Where a campaign's A/B winner flow stands. `waiting`: no contact has reached the A/B step
 * yet; `testing`: the test share is being sent and the rest is held until `decideAt`;
 * `decided`: the winner goes to everyone held; `abandoned`: the run ended before a decision.
 */
export interface AbTestProgressView {
  phase: 'waiting' | 'testing' | 'decided' | 'abandoned';
  stepId: string;
  testPercentage: number;
  winnerMetric: 'open_rate' | 'click_rate';
  startedAt: string | null;
  decideAt: string | null;
  /** Contacts at the A/B step waiting for the decision. */
  held: number;
  /** Live counts over the A/B step (the test share, then the winner's sends to the rest). */
  variants: AbVariantStats[];
  winner: {
    variantId: string;
    name: string;
    decidedAt: string;
    /** `auto` at decideAt, or `manual` through POST /campaigns/:id/ab-test/winner. */
    decidedBy: 'auto' | 'manual';
    /** highest_rate | tie (best rate shared: first such variant in step order) | no_data | manual */
    reason: string;
    /** The test share's figures the decision was taken on. */
    basis: AbVariantStats[];
  } | null;
}
