import { zeroCounters } from '../ingestion/rollup-counters';
import { campaignStatistics, NO_EXTERNAL, rates, reachedBase, revenueFigures } from './metrics';

const counters = (over: Partial<ReturnType<typeof zeroCounters>>) => ({
  ...zeroCounters(),
  ...over,
});

describe('rates', () => {
  it('computes the seed example on delivered messages', () => {
    const c = counters({
      sent: 12500,
      delivered: 12400,
      opened: 3720,
      clicked: 892,
      converted: 156,
      bounced: 85,
      replied: 62,
      replies: 75,
    });
    expect(rates(c)).toEqual({
      deliveryRate: 99.2,
      openRate: 30,
      clickRate: 7.19,
      clickToOpenRate: 23.98,
      replyRate: 0.5,
      conversionRate: 1.26,
      bounceRate: 0.68,
      unsubscribeRate: 0,
    });
  });

  it('uses sent minus bounced when the channel never confirms delivery', () => {
    const c = counters({ sent: 100, bounced: 10, opened: 45 });
    expect(reachedBase(c)).toBe(90);
    expect(rates(c).openRate).toBe(50);
    expect(rates(c).deliveryRate).toBe(90);
  });

  it('answers 0 rather than dividing by zero', () => {
    expect(Object.values(rates(zeroCounters())).every((v) => v === 0)).toBe(true);
  });
});

describe('campaignStatistics', () => {
  it('gives the reached base as delivered and the rates over it', () => {
    const c = counters({ sent: 10, bounced: 2, opened: 4, clicked: 2, replied: 1, replies: 3 });
    expect(campaignStatistics(c)).toEqual({
      sent: 10,
      delivered: 8,
      opened: 4,
      clicked: 2,
      replied: 1,
      converted: 0,
      bounced: 2,
      failed: 0,
      unsubscribed: 0,
      openRate: 50,
      clickRate: 25,
      replyRate: 12.5,
      conversionRate: 0,
      revenue: 0,
      cost: 0,
    });
  });

  it('adds attributed and external revenue, and external cost', () => {
    const c = counters({ converted: 2, revenue: 150.5 });
    const figures = campaignStatistics(c, { ...NO_EXTERNAL, revenue: 49.5, cost: 80 });
    expect(figures).toMatchObject({ converted: 2, revenue: 200, cost: 80 });
  });
});

describe('revenue, CPA and ROI', () => {
  it('adds external revenue, divides cost by all conversions', () => {
    const c = counters({ converted: 40, revenue: 4000 });
    const r = revenueFigures(c, {
      impressions: 0,
      clicks: 0,
      conversions: 10,
      cost: 1000,
      revenue: 500,
    });
    expect(r).toEqual({
      attributedRevenue: 4000,
      externalRevenue: 500,
      totalRevenue: 4500,
      cost: 1000,
      conversions: 50,
      costPerAcquisition: 20,
      roi: 350,
    });
  });

  it('has no CPA or ROI without cost', () => {
    const r = revenueFigures(counters({ converted: 3, revenue: 30 }), NO_EXTERNAL);
    expect(r.costPerAcquisition).toBeNull();
    expect(r.roi).toBeNull();
  });

  it('reports a loss as a negative ROI', () => {
    const r = revenueFigures(counters({}), { ...NO_EXTERNAL, cost: 200, revenue: 50 });
    expect(r.roi).toBe(-75);
  });
});
