import { zeroCounters } from '../ingestion/rollup-counters';
import { CampaignVariantRow, computeInsights, HourRow } from './insights';

const hour = (
  weekday: number,
  h: number,
  segmentId: string,
  sent: number,
  opened: number,
): HourRow => ({
  ...zeroCounters(),
  weekday,
  hour: h,
  segmentId,
  sent,
  delivered: sent,
  opened,
});

const variant = (
  campaignId: string,
  v: string,
  delivered: number,
  clicked: number,
): CampaignVariantRow => ({
  ...zeroCounters(),
  campaignId,
  step: 's1',
  stepPosition: 1,
  variant: v,
  sent: delivered,
  delivered,
  clicked,
});

describe('insights', () => {
  const hours = [
    hour(2, 9, 'vip', 200, 120), // Tuesday 09:00, 60 %
    hour(2, 15, 'all', 200, 40), // Tuesday 15:00, 20 %
    hour(4, 9, 'all', 400, 100), // Thursday 09:00, 25 %
  ];

  it('finds the best weekday and hour with the numbers behind them', () => {
    const insights = computeInsights(hours, [], new Map());
    const weekday = insights.find((i) => i.type === 'best_weekday')!;
    expect(weekday.data).toMatchObject({
      weekday: 'Tuesdays',
      openRate: 40,
      averageOpenRate: 32.5,
    });
    expect(weekday.message).toContain('Tuesdays');
    const best = insights.find((i) => i.type === 'best_hour')!;
    // 09:00: 220 / 600 = 36.67 % vs 15:00: 20 %
    expect(best.data).toMatchObject({ hourUtc: '09:00 UTC', openRate: 36.67 });
    expect((best.data.slots as unknown[]).length).toBe(2);
  });

  it('names segments that differ significantly from everyone else', () => {
    const insights = computeInsights(hours, [], new Map());
    expect(insights.find((i) => i.type === 'segment_outperforming')!.data).toMatchObject({
      segmentId: 'vip',
      openRate: 60,
      othersOpenRate: 23.33,
    });
    // The '' segment (no segment) is never reported; 'all' is the rest, so it underperforms.
    expect(insights.find((i) => i.type === 'segment_underperforming')!.data.segmentId).toBe('all');
  });

  it('reports a variant only when it wins significantly', () => {
    const names = new Map([['c1', 'Spring launch']]);
    const clear = computeInsights(
      [],
      [variant('c1', 'A', 500, 25), variant('c1', 'B', 500, 60)],
      names,
    );
    expect(clear).toEqual([
      expect.objectContaining({
        type: 'best_variant',
        data: expect.objectContaining({ campaignId: 'c1', winner: 'B' }),
      }),
    ]);
    expect(clear[0].message).toContain('Spring launch');
    expect(
      computeInsights([], [variant('c1', 'A', 500, 25), variant('c1', 'B', 500, 30)], names),
    ).toEqual([]);
  });

  it('stays silent on thin data', () => {
    expect(
      computeInsights([hour(1, 9, 'x', 10, 9), hour(2, 9, 'y', 10, 1)], [], new Map()),
    ).toEqual([]);
  });
});
