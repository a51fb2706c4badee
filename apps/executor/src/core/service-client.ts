// The executor's clients of the campaigns and leads services: the shared client of libs/common.
export { ServiceClient } from '@app/common';

export const CAMPAIGNS_CLIENT = Symbol('CAMPAIGNS_CLIENT');
export const LEADS_CLIENT = Symbol('LEADS_CLIENT');
