import { OutboxEntity } from '@app/database';
import { LeadsInitial1732690100000 } from './1732690100000-initial';
import { Leads1732690100001 } from './1732690100001-leads';

export const SCHEMA = 'leads';
/** Only the outbox is an entity: the leads service's queries are filter-heavy SQL (docs/leads.md). */
export const leadsEntities = [OutboxEntity];
export const leadsMigrations = [LeadsInitial1732690100000, Leads1732690100001];
