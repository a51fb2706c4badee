import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The e2e stack runs beside a dev system started with `npm start`: its own database,
 * Redis database, queue prefix, Kafka topic prefix and ports.
 */
export const TEST_DB = 'campaign_test';
export const TEST_PORTS = {
  gateway: 3100,
  campaigns: 4201,
  leads: 4202,
  analytics: 4203,
  executor: 4204,
  health: { campaigns: 4301, leads: 4302, analytics: 4303, executor: 4304 },
};

export const STATE_FILE = path.join(os.tmpdir(), 'campaign-platform-e2e.json');
export const LOG_DIR = path.join(os.tmpdir(), 'campaign-platform-e2e-logs');

export function testEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${TEST_DB}`,
    REDIS_URL: 'redis://127.0.0.1:6379/1',
    QUEUE_PREFIX: '{cptest}',
    KAFKA_TOPIC_PREFIX: 'test.',
    KAFKA_CLIENT_ID: 'campaign-platform-test',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    PORT: String(TEST_PORTS.gateway),
    PUBLIC_API_URL: `http://127.0.0.1:${TEST_PORTS.gateway}`,
    CAMPAIGNS_PORT: String(TEST_PORTS.campaigns),
    LEADS_PORT: String(TEST_PORTS.leads),
    ANALYTICS_PORT: String(TEST_PORTS.analytics),
    EXECUTOR_PORT: String(TEST_PORTS.executor),
    MEDIA_DIR: path.join(os.tmpdir(), 'campaign-platform-e2e-media'),
    MEDIA_MAX_BYTES: String(256 * 1024),
    BULL_BOARD_READ_ONLY: 'true',
  };
}

export const GATEWAY_URL = `http://127.0.0.1:${TEST_PORTS.gateway}`;
