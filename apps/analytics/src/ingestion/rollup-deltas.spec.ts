import { firstTouchCandidates } from './ingest-batch.sql';
import { EventRow } from './event-row';
import { COUNTER_COLUMNS } from './rollup-counters';
import { fromTenThousandths, RollupDeltas, RollupRows } from './rollup-deltas';

const T = '11111111-1111-4111-8111-111111111111';
const W = '22222222-2222-4222-8222-222222222222';
const C1 = '33333333-3333-4333-8333-333333333333';
const C2 = '44444444-4444-4444-8444-444444444444';

let n = 0;
function ev(type: string, over: Partial<EventRow> = {}): EventRow {
  n++;
  return {
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    occurredAt: '2026-11-20T09:15:00.000Z',
    type,
    tenantId: T,
    workspaceId: W,
    campaignId: C1,
    leadId: null,
    testMode: false,
    deliveryId: `d${n}`,
    stepId: 's1',
    stepPosition: 1,
    variantId: 'A',
    segmentId: 'seg',
    source: null,
    channel: 'email',
    value: null,
    currency: null,
    data: {},
    ...over,
  };
}

/** The rows of one table as objects: key columns and counters by name. */
function table(rows: RollupRows[], name: string): Record<string, unknown>[] {
  const t = rows.find((r) => r.table.table === name)!;
  return t.keys[0].map((_, i) => ({
    ...Object.fromEntries(t.table.keys.map(([c], k) => [c, t.keys[k][i]])),
    ...Object.fromEntries(COUNTER_COLUMNS.map((c, k) => [c, t.counters[k][i]])),
    stepPosition: t.stepPositions[i],
  }));
}

describe('RollupDeltas', () => {
  it('sums a batch into one row per rollup key', () => {
    const d = new RollupDeltas(7);
    d.add(ev('message.sent'), true);
    d.add(ev('message.sent', { stepPosition: 3 }), true);
    d.add(ev('message.sent', { occurredAt: '2026-11-20T10:00:00.000Z' }), true);
    d.add(ev('message.sent', { campaignId: C2, variantId: null }), true);
    const rows = d.rows();
    const hourly = table(rows, 'rollup_hourly');
    expect(hourly).toHaveLength(3);
    expect(hourly[0]).toMatchObject({
      campaign_id: C1,
      bucket: '2026-11-20T09:00:00Z',
      step_id: 's1',
      variant_id: 'A',
      segment_id: 'seg',
      source: '',
      sent: 2,
      stepPosition: 3,
    });
    expect(table(rows, 'campaign_daily')).toEqual([
      expect.objectContaining({ campaign_id: C1, day: '2026-11-20', sent: 3 }),
      expect.objectContaining({ campaign_id: C2, day: '2026-11-20', sent: 1 }),
    ]);
    // No variant, no variant_daily row.
    expect(table(rows, 'variant_daily')).toEqual([
      expect.objectContaining({ campaign_id: C1, variant_id: 'A', sent: 3 }),
    ]);
    expect(table(rows, 'workspace_hourly')).toEqual([
      expect.objectContaining({ bucket: '2026-11-20T09:00:00Z', shard: 7, sent: 3 }),
      expect.objectContaining({ bucket: '2026-11-20T10:00:00Z', shard: 7, sent: 1 }),
    ]);
    expect(d.size).toBe(4);
  });

  it('counts unique opens, clicks and replies only on a first touch, every event in opens, clicks and replies', () => {
    const d = new RollupDeltas(0);
    d.add(ev('engagement.opened'), true);
    d.add(ev('engagement.opened'), false);
    d.add(ev('engagement.clicked'), false);
    d.add(ev('engagement.replied'), true);
    d.add(ev('engagement.replied'), false);
    d.add(ev('engagement.replied'), false);
    const [row] = table(d.rows(), 'campaign_daily');
    expect(row).toMatchObject({
      opened: 1,
      opens: 2,
      clicked: 0,
      clicks: 1,
      replied: 1,
      replies: 3,
    });
  });

  it('sums revenue exactly in ten-thousandths and never counts test mode or campaign-less events', () => {
    const d = new RollupDeltas(0);
    d.add(ev('engagement.converted', { value: 0.1 }), true);
    d.add(ev('engagement.converted', { value: 0.2 }), true);
    d.add(ev('engagement.converted', { value: 1e6, testMode: true }), true);
    d.add(ev('engagement.converted', { value: 1e6, campaignId: null }), true);
    d.add(ev('lead.created'), true);
    const [row] = table(d.rows(), 'campaign_daily');
    expect(row).toMatchObject({ converted: 2, revenue: 3000 });
    expect(fromTenThousandths(row.revenue as number)).toBe('0.3000');
    expect(d.size).toBe(2);
  });

  it('orders rows by key so every consumer locks them in the same order', () => {
    const a = new RollupDeltas(0);
    const b = new RollupDeltas(0);
    const e1 = ev('message.sent', { campaignId: C2 });
    const e2 = ev('message.sent', { campaignId: C1 });
    a.add(e1, true);
    a.add(e2, true);
    b.add(e2, true);
    b.add(e1, true);
    expect(table(a.rows(), 'campaign_daily').map((r) => r.campaign_id)).toEqual([C1, C2]);
    expect(a.rows()).toEqual(b.rows());
  });
});

describe('fromTenThousandths', () => {
  it('writes exact decimals, negatives included', () => {
    expect(fromTenThousandths(0)).toBe('0.0000');
    expect(fromTenThousandths(123456789)).toBe('12345.6789');
    expect(fromTenThousandths(-5)).toBe('-0.0005');
  });
});

describe('firstTouchCandidates', () => {
  it('picks the earliest countable open, click and reply per delivery', () => {
    const late = ev('engagement.opened', {
      deliveryId: 'x',
      occurredAt: '2026-11-20T10:00:00.000Z',
    });
    const early = ev('engagement.opened', {
      deliveryId: 'x',
      occurredAt: '2026-11-20T09:00:00.000Z',
    });
    const click = ev('engagement.clicked', { deliveryId: 'x' });
    const test = ev('engagement.opened', { deliveryId: 'y', testMode: true });
    const sent = ev('message.sent', { deliveryId: 'x' });
    const reply = ev('engagement.replied', {
      deliveryId: 'x',
      occurredAt: '2026-11-20T11:00:00.000Z',
    });
    const laterReply = ev('engagement.replied', {
      deliveryId: 'x',
      occurredAt: '2026-11-20T12:00:00.000Z',
    });
    const rows = [late, early, click, test, sent, laterReply, reply];
    expect(firstTouchCandidates(rows).map((i) => rows[i])).toEqual([early, click, reply]);
  });
});
