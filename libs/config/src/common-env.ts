import { int, list, oneOf, port, str, url } from './env';

/** Variables more than one app reads. Defaults match `scripts/infra.sh` on a fresh machine. */
export const databaseEnv = {
  DATABASE_URL: url(['postgres', 'postgresql'], 'postgres://postgres@127.0.0.1:5432/campaign'),
  DATABASE_POOL_SIZE: int(10, 1, 200),
};

export const redisEnv = {
  REDIS_URL: url(['redis', 'rediss'], 'redis://127.0.0.1:6379/0'),
  // Hash-tagged so every BullMQ key of this deployment lands in one Redis Cluster slot group.
  QUEUE_PREFIX: str('{cp}'),
};

export const kafkaEnv = {
  KAFKA_BROKERS: list(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: str('campaign-platform'),
  // Lets the e2e suite use its own topics (`test.campaign.events`) next to a running dev system.
  KAFKA_TOPIC_PREFIX: str(''),
  // Outbox relay (docs/events.md): after a publish, how long more events may gather; with
  // nothing to publish, the safety poll behind the LISTEN/NOTIFY wake-up.
  OUTBOX_LINGER_MS: int(25, 0, 10_000),
  OUTBOX_IDLE_POLL_MS: int(2000, 50, 600_000),
};

export const logEnv = {
  LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error'] as const, 'info'),
  LOG_FORMAT: oneOf(['json', 'pretty'] as const, 'json'),
};

export const servicesEnv = {
  CAMPAIGNS_HOST: str('127.0.0.1'),
  CAMPAIGNS_PORT: port(4001),
  LEADS_HOST: str('127.0.0.1'),
  LEADS_PORT: port(4002),
  ANALYTICS_HOST: str('127.0.0.1'),
  ANALYTICS_PORT: port(4003),
  EXECUTOR_HOST: str('127.0.0.1'),
  EXECUTOR_PORT: port(4004),
};

export const healthEnv = (defaultPort: number) => ({
  HEALTH_PORT: port(defaultPort),
  HEALTH_HOST: str('127.0.0.1'),
});
