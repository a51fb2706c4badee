/** `GET /api/v1/campaigns/:id/progress`: where a campaign's sending stands right now. */
export interface CampaignProgressView {
  campaignId: string;
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
}
