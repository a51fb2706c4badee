/**
 * BullMQ queues of the executor, shown in Bull Board. The prefix (QUEUE_PREFIX, default
 * `{cp}`) is hash-tagged so every key of a queue lands in one Redis Cluster slot.
 */
export const QUEUES = {
  enroll: 'enroll',
  send: 'send',
  schedule: 'schedule',
  webhooks: 'webhooks',
} as const;
export const ALL_QUEUES = Object.values(QUEUES);
