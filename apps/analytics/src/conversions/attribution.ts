/** A tracked open or click of a lead, as stored with the raw events. */
export interface Touch {
  kind: 'engagement.clicked' | 'engagement.opened';
  campaignId: string;
  deliveryId: string | null;
  stepId: string | null;
  stepPosition: number | null;
  variantId: string | null;
  segmentId: string | null;
  source: string | null;
  channel: string | null;
  occurredAt: Date;
}

export type AttributionRule = 'last_click' | 'last_open' | 'campaign';

export interface Attribution extends Omit<Touch, 'kind' | 'occurredAt'> {
  rule: AttributionRule;
  touchedAt: Date | null;
}

/**
 * The attribution rule: the lead's last click within the window before the conversion; else
 * its last open within the window; else the campaign the caller named (campaign level, no
 * step or variant); else nothing. When the caller names a campaign, only that campaign's
 * touches are candidates (the caller filters them). Touches after the conversion never count.
 */
export function attribute(
  touches: Touch[],
  occurredAt: Date,
  windowDays: number,
  fallbackCampaignId?: string,
): Attribution | null {
  const earliest = occurredAt.getTime() - windowDays * 86400_000;
  const inWindow = touches.filter(
    (t) => t.occurredAt.getTime() <= occurredAt.getTime() && t.occurredAt.getTime() > earliest,
  );
  const latest = (kind: Touch['kind']) =>
    inWindow
      .filter((t) => t.kind === kind)
      .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime())[0];
  const touch = latest('engagement.clicked') ?? latest('engagement.opened');
  if (touch) {
    const { kind, occurredAt: touchedAt, ...rest } = touch;
    return { ...rest, rule: kind === 'engagement.clicked' ? 'last_click' : 'last_open', touchedAt };
  }
  if (!fallbackCampaignId) return null;
  return {
    rule: 'campaign',
    campaignId: fallbackCampaignId,
    deliveryId: null,
    stepId: null,
    stepPosition: null,
    variantId: null,
    segmentId: null,
    source: null,
    channel: null,
    touchedAt: null,
  };
}
