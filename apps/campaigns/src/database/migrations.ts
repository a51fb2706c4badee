import { outboxNotifyMigration } from '@app/database';
import { Initial1732690000000 } from './1732690000000-initial';
import { Templates1732690500000 } from './1732690500000-templates';

export const campaignsMigrations = [
  Initial1732690000000,
  Templates1732690500000,
  outboxNotifyMigration('campaigns', 'CampaignsOutboxNotify1732690500100'),
];
