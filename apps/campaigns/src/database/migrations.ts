import { Initial1732690000000 } from './1732690000000-initial';

export const campaignsMigrations = [Initial1732690000000];
