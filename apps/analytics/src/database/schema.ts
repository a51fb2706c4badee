import { OutboxEntity, outboxLinesMigration, outboxNotifyMigration } from '@app/database';
import { AnalyticsInitial1732690200000 } from './1732690200000-initial';
import { AnalyticsRollups1732690200100 } from './1732690200100-rollups';
import { AnalyticsCoveringIndexes1732690200200 } from './1732690200200-covering-indexes';
import { AnalyticsWorkspaceHourlyShards1732690200300 } from './1732690200300-workspace-hourly-shards';
import { AnalyticsWorkspaceChanges1732690200400 } from './1732690200400-workspace-changes';
import { AnalyticsReplyCounts1732690200600 } from './1732690200600-reply-counts';

export const SCHEMA = 'analytics';
export const analyticsEntities = [OutboxEntity];
export const analyticsMigrations = [
  AnalyticsInitial1732690200000,
  AnalyticsRollups1732690200100,
  AnalyticsCoveringIndexes1732690200200,
  AnalyticsWorkspaceHourlyShards1732690200300,
  AnalyticsWorkspaceChanges1732690200400,
  outboxNotifyMigration('analytics', 'AnalyticsOutboxNotify1732690200500'),
  AnalyticsReplyCounts1732690200600,
  outboxLinesMigration('analytics', 'AnalyticsOutboxLines1732690200700'),
];
