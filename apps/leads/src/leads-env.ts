import { EnvOf } from '@app/config';
import { leadsEnv } from './config';

export type LeadsEnv = EnvOf<typeof leadsEnv>;
export const LEADS_ENV = Symbol('LEADS_ENV');
