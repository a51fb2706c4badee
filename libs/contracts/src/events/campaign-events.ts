/** Event types on `campaign.events`; payloads are documented in docs/events.md. */
export const CampaignEventTypes = {
  created: 'campaign.created',
  updated: 'campaign.updated',
  deleted: 'campaign.deleted',
  cloned: 'campaign.cloned',
  scheduled: 'campaign.scheduled',
  started: 'campaign.started',
  paused: 'campaign.paused',
  resumed: 'campaign.resumed',
  completed: 'campaign.completed',
  cancelled: 'campaign.cancelled',
  failed: 'campaign.failed',
  statusChanged: 'campaign.status_changed',
  /** Emitted by the executor when an A/B test's winner is chosen (auto or manual). */
  abWinnerSelected: 'campaign.ab_winner_selected',
} as const;

export interface CampaignStatusChangedData {
  from: string;
  to: string;
  reason?: string;
  launch?: { testMode: boolean; targetPercentage: number; priority: string; scheduledAt?: string };
  campaign: { id: string; name: string; type: string; status: string };
}
