import { installLinearGrouping } from './kafkajs-grouping';

/**
 * Imported first by the relay's worker thread, so that kafkajs, loaded after it, takes the
 * linear grouping (kafkajs-grouping.ts). What happened is reported for the thread to log.
 */
export const groupingInstall = installLinearGrouping();
