import { OutboxEntity } from '@app/database';
import { AnalyticsInitial1732690200000 } from './1732690200000-initial';

export const SCHEMA = 'analytics';
export const analyticsEntities = [OutboxEntity];
export const analyticsMigrations = [AnalyticsInitial1732690200000];
