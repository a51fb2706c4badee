import { OutboxEntity, outboxLinesMigration, outboxNotifyMigration } from '@app/database';
import { LeadsInitial1732690100000 } from './1732690100000-initial';
import { Leads1732690100001 } from './1732690100001-leads';
import { GinPendingList1732690100002 } from './1732690100002-gin-pending-list';
import { SearchTrigram1732690100003 } from './1732690100003-search-trigram';
import { ConsentPolicy1732690100004 } from './1732690100004-consent-policy';
import { ImportTrigger1732690100005 } from './1732690100005-import-trigger';
import { ImportParts1732690100006 } from './1732690100006-import-parts';
import { SearchWords1732690100008 } from './1732690100008-search-words';
import { SearchEmailPrefix1732690100009 } from './1732690100009-search-email-prefix';
import { EmailByteOrder1732690100010 } from './1732690100010-email-byte-order';
import { LeadIdsV7_1732690100011 } from './1732690100011-lead-ids-v7';
import { CampaignMembers1732690100012 } from './1732690100012-campaign-members';
import { GinPendingLimits1732690100013 } from './1732690100013-gin-pending-limits';

export const SCHEMA = 'leads';
/** Only the outbox is an entity: the leads service's queries are filter-heavy SQL (docs/leads.md). */
export const leadsEntities = [OutboxEntity];
export const leadsMigrations = [
  LeadsInitial1732690100000,
  Leads1732690100001,
  GinPendingList1732690100002,
  SearchTrigram1732690100003,
  ConsentPolicy1732690100004,
  ImportTrigger1732690100005,
  ImportParts1732690100006,
  outboxNotifyMigration('leads', 'LeadsOutboxNotify1732690100007'),
  SearchWords1732690100008,
  SearchEmailPrefix1732690100009,
  EmailByteOrder1732690100010,
  LeadIdsV7_1732690100011,
  CampaignMembers1732690100012,
  GinPendingLimits1732690100013,
  outboxLinesMigration('leads', 'LeadsOutboxLines1732690100014'),
];
