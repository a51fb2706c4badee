import { outboxLinesMigration, outboxNotifyMigration } from '@app/database';
import { Initial1732690000000 } from './1732690000000-initial';
import { Templates1732690500000 } from './1732690500000-templates';
import { DropStatistics1732690500200 } from './1732690500200-drop-statistics';
import { CampaignEnds1732690500300 } from './1732690500300-campaign-ends';

export const campaignsMigrations = [
  Initial1732690000000,
  Templates1732690500000,
  outboxNotifyMigration('campaigns', 'CampaignsOutboxNotify1732690500100'),
  DropStatistics1732690500200,
  CampaignEnds1732690500300,
  outboxLinesMigration('campaigns', 'CampaignsOutboxLines1732690500400'),
];
