import { installKafkajsPatches } from './kafkajs-patches';

/**
 * Imported first by the relay's worker thread, so that kafkajs, loaded after it, takes the
 * linear grouping and the pooled encoder (kafkajs-patches.ts). What happened is reported for
 * the thread to log.
 */
export const kafkajsPatches = installKafkajsPatches();
