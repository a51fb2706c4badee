import { randomUUID } from 'node:crypto';
import { Envelope, envelope, EventProducer, Scope } from './analytics-support';

/*
 * A deterministic campaign history (what the executor and tracking routes would emit) with
 * its ground truth computed alongside: counts, per variant and per segment. Duplicates (same
 * eventId sent again) and test-mode deliveries are produced too and must not count.
 */

export interface Counts {
  sent: number;
  delivered: number;
  bounced: number;
  opened: number;
  opens: number;
  clicked: number;
  clicks: number;
  unsubscribed: number;
  converted: number;
  revenue: number;
}

const zero = (): Counts => ({
  sent: 0,
  delivered: 0,
  bounced: 0,
  opened: 0,
  opens: 0,
  clicked: 0,
  clicks: 0,
  unsubscribed: 0,
  converted: 0,
  revenue: 0,
});

export interface Scenario {
  campaignId: string;
  stepIds: string[];
  segmentIds: string[];
  message: Envelope[];
  engagement: Envelope[];
  duplicates: { message: Envelope[]; engagement: Envelope[] };
  expected: Counts;
  byVariant: Record<string, Counts>;
  bySegment: Record<string, Counts>;
}

export interface ScenarioOptions {
  /** Sends are spread over this many minutes after `start` (default 3000). */
  spreadMinutes?: number;
  /** Which deliveries open (default two in three). */
  opens?: (i: number) => boolean;
}

export function buildScenario(
  scope: Scope,
  campaignId: string,
  deliveries: number,
  start: Date,
  { spreadMinutes = 3000, opens = (i) => i % 3 !== 2 }: ScenarioOptions = {},
): Scenario {
  const stepIds = [randomUUID(), randomUUID()];
  const segmentIds = [randomUUID(), randomUUID()];
  const s: Scenario = {
    campaignId,
    stepIds,
    segmentIds,
    message: [],
    engagement: [],
    duplicates: { message: [], engagement: [] },
    expected: zero(),
    byVariant: { A: zero(), B: zero() },
    bySegment: { [segmentIds[0]]: zero(), [segmentIds[1]]: zero() },
  };
  const emit = (i: number, testMode: boolean) => {
    const step = i % 2;
    const variant = step === 0 ? (i % 4 === 0 ? 'A' : 'B') : null;
    const segmentId = segmentIds[i % 3 === 0 ? 1 : 0];
    const at = (minutes: number) =>
      new Date(start.getTime() + ((i * 7) % spreadMinutes) * 60_000 + minutes * 60_000);
    const attribution = {
      deliveryId: randomUUID(),
      enrollmentId: randomUUID(),
      stepId: stepIds[step],
      stepPosition: step + 1,
      variantId: variant,
      channel: 'email',
      segmentId,
      source: 'newsletter',
      testMode,
    };
    const leadId = randomUUID();
    const tallies = testMode
      ? []
      : [s.expected, s.bySegment[segmentId], ...(variant ? [s.byVariant[variant]] : [])];
    const count = (k: keyof Counts, n = 1) => tallies.forEach((t) => (t[k] += n));
    const msg = (type: string, m: number, extra = {}) =>
      s.message.push(
        envelope(scope, type, campaignId, { ...attribution, ...extra }, at(m), leadId),
      );
    const eng = (type: string, m: number, extra = {}) =>
      s.engagement.push(
        envelope(scope, type, campaignId, { ...attribution, ...extra }, at(m), leadId),
      );
    msg('message.queued', 0);
    msg('message.sent', 1);
    count('sent');
    if (i % 10 === 9) {
      msg('message.bounced', 2, { code: 'SMTP_5XX', permanent: true });
      count('bounced');
      return;
    }
    msg('message.delivered', 2);
    count('delivered');
    if (opens(i)) {
      eng('engagement.opened', 30);
      count('opened');
      count('opens');
      if (i % 4 === 0) {
        eng('engagement.opened', 90);
        count('opens');
      }
    }
    const clicked = variant === 'B' ? i % 8 !== 7 : i % 8 === 0;
    if (clicked) {
      eng('engagement.clicked', 35, { linkId: 'l1', url: 'https://example.com' });
      eng('engagement.clicked', 36, { linkId: 'l1', url: 'https://example.com' });
      count('clicked');
      count('clicks', 2);
      if (i % 6 === 0) {
        eng('engagement.converted', 60, { value: 20.5, currency: 'USD' });
        count('converted');
        count('revenue', 20.5);
      }
    }
    if (i % 25 === 0) {
      eng('engagement.unsubscribed', 40);
      count('unsubscribed');
    }
  };
  for (let i = 0; i < deliveries; i++) emit(i, false);
  for (let i = 0; i < 10; i++) emit(i, true);
  s.duplicates.message = s.message.filter((_, i) => i % 7 === 0);
  s.duplicates.engagement = s.engagement.filter((_, i) => i % 5 === 0);
  return s;
}

/** Produces the scenario and its duplicates (a redelivery of some events) in `chunks` sends. */
export async function produceScenario(p: EventProducer, s: Scenario): Promise<void> {
  await p.send('message.events', s.message);
  await p.send('engagement.events', s.engagement);
  await p.send('message.events', s.duplicates.message);
  await p.send('engagement.events', s.duplicates.engagement);
}

/** The counts the performance route reports, in the shape of Counts. */
export function countsOf(perf: any): Counts {
  const m = perf.metrics;
  return {
    sent: m.sent,
    delivered: m.delivered,
    bounced: m.bounced,
    opened: m.opened,
    opens: m.opens,
    clicked: m.clicked,
    clicks: m.clicks,
    unsubscribed: m.unsubscribed,
    converted: m.converted,
    revenue: perf.revenue.attributedRevenue,
  };
}
