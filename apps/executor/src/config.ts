import {
  bool,
  databaseEnv,
  EnvOf,
  healthEnv,
  int,
  kafkaEnv,
  logEnv,
  redisEnv,
  servicesEnv,
  str,
  ConfigError,
  VarSpec,
} from '@app/config';
import { OutboundPolicy, parseAllowlist } from './webhooks/ssrf-guard';

export const executorEnv = {
  ...databaseEnv,
  ...kafkaEnv,
  ...logEnv,
  ...servicesEnv,
  ...redisEnv,
  ...healthEnv(4104),
  // The outbox relay in a worker thread of its own (libs/kafka relay-thread.ts): two events per
  // message are about a quarter of the main thread's work while sending, and the second core
  // had room for it (bench/send: +15 %). The thread costs ~20 MB at rest (docs/executor.md).
  OUTBOX_RELAY_THREAD: bool(true),
  // How far V8 lets the old generation grow past what the last full GC kept (percent), in the
  // main thread and the worker threads. Left to V8, it grew ~2.5x: each message's objects live
  // through the send pipeline long enough to be promoted, and RSS peaked at 407-426 MB in
  // bench/send. At 150 it peaked at 296-331 MB, for at most ~5 % of the rate. 0 = V8's choice.
  HEAP_GROWING_PERCENT: int(150, 0, 1000),
  // How often the webhook fan-out asks whether any webhook subscribes to message events; while
  // none does, it does not read them back from Kafka (events/topic-gate.ts). 0 = always read.
  TOPIC_GATE_MS: int(1000, 0, 60000),
  RPC_HOST: str('127.0.0.1'),
  PUBLIC_API_URL: str('http://127.0.0.1:3000'),
  // Default channel account: the local SMTP catcher in development and tests.
  SMTP_HOST: str('127.0.0.1'),
  SMTP_PORT: int(1025, 1, 65535),
  SMTP_SECURE: bool(false),
  SMTP_USER: str(''),
  SMTP_PASS: str(''),
  SMTP_POOL_SIZE: int(8, 1, 100),
  // Worker threads that run the channels' client libraries (nodemailer, the HTTP client) beside
  // the main thread; 0 = in the main thread.
  CHANNEL_THREADS: int(1, 0, 16),
  // Messages per second for the account's send queue (BullMQ limiter); 0 = unlimited.
  SEND_RATE_PER_SECOND: int(0, 0, 1_000_000),
  SEND_CONCURRENCY: int(64, 1, 1000),
  // Messages per `send` job: the dispatcher groups due enrollments so the queue costs one job
  // per batch, not per message (1 = one job per message); never more than SEND_CONCURRENCY.
  SEND_BATCH_SIZE: int(50, 1, 1000),
  SEND_TIMEOUT_MS: int(30000, 1000, 600000),
  // How long a send's outcome may wait for others to be recorded with it in one statement and
  // one commit (outcomes arrive one SMTP answer at a time); 0 = write each at once.
  SETTLE_LINGER_MS: int(20, 0, 1000),
  SEND_ATTEMPTS: int(5, 1, 50),
  SEND_BACKOFF_MS: int(2000, 10, 3600000),
  // A delivery still `claimed` after this long belonged to a process that died mid-send.
  CLAIM_TIMEOUT_MS: int(120000, 1000, 86400000),
  // How long a worker holds a job before another may take it over (after a crash).
  JOB_LOCK_MS: int(30000, 1000, 600000),
  // Contacts per page of the leads audience RPC at enrollment (one COPY and one transaction each).
  ENROLL_PAGE_SIZE: int(10000, 1, 100000),
  // Audience pages written at once, each its own transaction (the next page is fetched meanwhile).
  ENROLL_WRITERS: int(2, 1, 16),
  DISPATCH_INTERVAL_MS: int(200, 10, 60000),
  DISPATCH_BATCH: int(5000, 1, 100000),
  // A campaign's chain of dispatch takes starts over from its first due row after this long: a
  // job lost without Redis losing its data (failed for good, removed) is added again then.
  DISPATCH_LEASE_MS: int(300000, 1000, 86400000),
  MAX_QUEUE_DEPTH: int(50000, 100, 10_000_000),
  // How long one "minute" of a wait step lasts: 60000 in production; tests shorten it.
  EXECUTOR_MINUTE_MS: int(60000, 1, 60000),
  MAX_CONSECUTIVE_FAILURES: int(25, 1, 100000),
  // Emails one contact may get per rolling 24 h across a workspace's campaigns; 0 = no cap.
  FREQUENCY_CAP_PER_DAY: int(0, 0, 1000),
  COMPLETION_MIN_AGE_MS: int(3000, 0, 3600000),
  SCHEDULE_GRACE_MS: int(300000, 0, 86400000),
  TRACKING_SECRET: str('dev-tracking-secret-change-me'),
  // Encrypts outbound webhook secrets at rest (any string; a key is derived from it).
  WEBHOOK_SECRET_KEY: str('dev-webhook-key-change-me'),
  ALLOW_PRIVATE_WEBHOOKS: bool(false),
  // Private/loopback addresses and CIDR ranges that outbound connections to user-given targets
  // (webhooks, the HTTP channel, channel accounts' SMTP hosts) may reach: an internal relay,
  // or a receiver on loopback in development and tests. Metadata addresses never.
  OUTBOUND_ALLOWLIST: {
    fallback: [],
    describe: 'comma-separated IP addresses or CIDR ranges',
    parse: (raw: string, name: string) => {
      try {
        return parseAllowlist(raw);
      } catch (err) {
        throw new ConfigError(`${name} is invalid: ${(err as Error).message}`);
      }
    },
  } satisfies VarSpec<string[]>,
  WEBHOOK_ATTEMPTS: int(8, 1, 50),
  WEBHOOK_BACKOFF_MS: int(2000, 10, 3600000),
};

export type ExecutorEnv = EnvOf<typeof executorEnv>;
export const EXECUTOR_ENV = Symbol('EXECUTOR_ENV');

/** The SSRF guard's policy for user-given targets (webhooks, HTTP channel, SMTP accounts). */
export const outboundPolicy = (env: ExecutorEnv): OutboundPolicy => ({
  allowPrivate: env.ALLOW_PRIVATE_WEBHOOKS,
  allowlist: env.OUTBOUND_ALLOWLIST,
});
