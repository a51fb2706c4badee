import {
  databaseEnv,
  EnvOf,
  healthEnv,
  int,
  kafkaEnv,
  logEnv,
  servicesEnv,
  str,
} from '@app/config';

export const analyticsEnv = {
  ...databaseEnv,
  ...kafkaEnv,
  ...logEnv,
  ...servicesEnv,
  ...healthEnv(4103),
  RPC_HOST: str('127.0.0.1'),
  // Raw events are the idempotency record: keep them longer than Kafka keeps the topics, so a
  // replay from the beginning never meets an event whose record was purged (docs/analytics.md).
  ANALYTICS_RAW_RETENTION_DAYS: int(30, 1, 3650),
  ANALYTICS_PURGE_INTERVAL_MS: int(3600000, 1000, 86400000),
  // Events per ingestion transaction; a Kafka batch larger than this is split. × concurrency it
  // also bounds what the consumer queues, which sizes the transactions under load: at 5,000 the
  // bench's transactions averaged ~3,300 events, at 10,000 ~5,400, with ~10 % less Postgres CPU
  // per event (docs/analytics.md, Figures).
  ANALYTICS_BATCH_SIZE: int(10000, 1, 100000),
  // Partitions consumed in parallel by one replica (each in its own transaction).
  ANALYTICS_PARTITIONS_CONCURRENCY: int(6, 1, 64),
  // Conversions are credited to the lead's last click (else open) within this window.
  ATTRIBUTION_WINDOW_DAYS: int(30, 1, 365),
};

export type AnalyticsEnv = EnvOf<typeof analyticsEnv>;
export const ANALYTICS_ENV = Symbol('ANALYTICS_ENV');
