/** Message patterns of the analytics service (TCP RPC from the gateway). */
export const AnalyticsRpc = {
  performance: 'analytics.campaign.performance',
  statistics: 'analytics.campaign.statistics',
  campaignAnalytics: 'analytics.campaign.analytics',
  campaignSummary: 'analytics.campaign.summary',
  abResults: 'analytics.campaign.ab-results',
  recordExternal: 'analytics.campaign.external.record',
  listExternal: 'analytics.campaign.external.list',
  recordConversion: 'analytics.conversions.record',
  crossCampaign: 'analytics.campaigns.overview',
  campaignStatistics: 'analytics.campaigns.statistics',
} as const;

export const STATISTICS_PERIODS = ['1h', '24h', '7d', '30d', 'all'] as const;
export type StatisticsPeriod = (typeof STATISTICS_PERIODS)[number];

/** Sections of `GET .../statistics` a caller can pick with `metrics=`. */
export const STATISTICS_SECTIONS = ['overview', 'performance', 'timeline', 'segments'] as const;
export type StatisticsSection = (typeof STATISTICS_SECTIONS)[number];

export const AB_METRICS = ['open', 'click', 'conversion'] as const;
export type AbMetric = (typeof AB_METRICS)[number];
