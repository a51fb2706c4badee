import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The e2e stack runs beside a dev system started with `npm start`: its own database,
 * Redis database, queue prefix, Kafka topic prefix and ports.
 */
/**
 * E2E_INSTANCE (0-9, default 0) lets several suites run side by side on one machine (each
 * gets its own ports, database, Redis database and queue prefix). Kafka topics and the SMTP
 * catcher are shared, so tests filter by the ids and addresses they created.
 */
export const INSTANCE = Number(process.env.E2E_INSTANCE ?? 0);
const shift = INSTANCE * 10;
export const TEST_DB = INSTANCE ? `campaign_test_${INSTANCE}` : 'campaign_test';
export const TEST_REDIS_DB = 1 + INSTANCE;
export const TEST_PORTS = {
  gateway: 3100 + shift,
  campaigns: 4201 + shift * 10,
  leads: 4202 + shift * 10,
  analytics: 4203 + shift * 10,
  executor: 4204 + shift * 10,
  // Each instance owns 42xx+100·n: RPC ports at +01..04, health ports at +51..54 (health at
  // 43xx collided with the next instance's RPC ports).
  health: {
    campaigns: 4251 + shift * 10,
    leads: 4252 + shift * 10,
    analytics: 4253 + shift * 10,
    executor: 4254 + shift * 10,
  },
};

export const STATE_FILE = path.join(os.tmpdir(), `campaign-platform-e2e-${INSTANCE}.json`);
export const LOG_DIR = path.join(os.tmpdir(), `campaign-platform-e2e-logs-${INSTANCE}`);

export function testEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${TEST_DB}`,
    REDIS_URL: `redis://127.0.0.1:6379/${TEST_REDIS_DB}`,
    QUEUE_PREFIX: `{cptest${INSTANCE}}`,
    KAFKA_TOPIC_PREFIX: 'test.',
    // Consumer groups derive from the client id, so parallel instances don't share groups.
    KAFKA_CLIENT_ID: `campaign-platform-test-${INSTANCE}`,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    PORT: String(TEST_PORTS.gateway),
    PUBLIC_API_URL: `http://127.0.0.1:${TEST_PORTS.gateway}`,
    CAMPAIGNS_PORT: String(TEST_PORTS.campaigns),
    LEADS_PORT: String(TEST_PORTS.leads),
    // Every leads process of the suite polls the same job table, so the suite's own service may
    // claim a job a test's own stack was started for: both merge the index lists after 200 rows
    // (leads-import's upkeep test holds whichever of them finishes its job).
    LEADS_IMPORT_INDEX_CLEANUP_ROWS: '200',
    // And no periodic merge but the one leads-import starts a stack for (it would empty the
    // lists under tests that look at them).
    LEADS_INDEX_MERGE_ROWS: '1000000000',
    ANALYTICS_PORT: String(TEST_PORTS.analytics),
    EXECUTOR_PORT: String(TEST_PORTS.executor),
    MEDIA_DIR: path.join(os.tmpdir(), `campaign-platform-e2e-media-${INSTANCE}`),
    MEDIA_MAX_BYTES: String(256 * 1024),
    BULL_BOARD_READ_ONLY: 'true',
    // The e2e receivers listen on loopback: allowed through the SSRF guard's allow-list only.
    OUTBOUND_ALLOWLIST: '127.0.0.1/32,::1',
  };
}

export const GATEWAY_URL = `http://127.0.0.1:${TEST_PORTS.gateway}`;

/** Runs one SQL statement against the suite's database; the rows as psql prints them (-At). */
export function testSql(query: string): string {
  return execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', TEST_DB, '-qAtc', query])
    .toString()
    .trim();
}
