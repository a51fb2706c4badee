import { OutboxEntity } from '@app/database';
import { LeadsInitial1732690100000 } from './1732690100000-initial';

export const SCHEMA = 'leads';
export const leadsEntities = [OutboxEntity];
export const leadsMigrations = [LeadsInitial1732690100000];
