import { bool, int, logEnv, port, redisEnv, servicesEnv, str } from '@app/config';

export const gatewayEnv = {
  ...logEnv,
  ...redisEnv,
  ...servicesEnv,
  PORT: port(3000),
  HOST: str('127.0.0.1'),
  PUBLIC_API_URL: str('http://127.0.0.1:3000'),
  RPC_TIMEOUT_MS: int(30000, 100, 600000),
  // How long a resolved API key is trusted without asking the campaigns service again.
  // Revocations are also pushed to every gateway over Redis, so this is only a backstop.
  API_KEY_CACHE_TTL_MS: int(30000, 0, 3600000),
  BODY_LIMIT_BYTES: int(1024 * 1024, 1024, 100 * 1024 * 1024),
  MEDIA_MAX_BYTES: int(10 * 1024 * 1024, 1024, 512 * 1024 * 1024),
  BULL_BOARD_READ_ONLY: bool(true),
  // Verifies the signed open/click/unsubscribe links the executor puts in emails (same value).
  TRACKING_SECRET: str('dev-tracking-secret-change-me'),
};
