import { databaseEnv, healthEnv, int, kafkaEnv, logEnv, servicesEnv, str } from '@app/config';
import * as os from 'node:os';
import * as path from 'node:path';

export const campaignsEnv = {
  ...databaseEnv,
  ...kafkaEnv,
  ...logEnv,
  ...servicesEnv,
  ...healthEnv(4101),
  RPC_HOST: str('127.0.0.1'),
  // Uploaded media lives outside any web root and is only served through an authenticated route.
  MEDIA_DIR: str(path.join(os.homedir(), '.cache', 'campaign-platform', 'media')),
  MEDIA_MAX_BYTES: int(10 * 1024 * 1024, 1024, 512 * 1024 * 1024),
  PUBLIC_API_URL: str('http://127.0.0.1:3000'),
  // How often campaigns whose schedule.endDate has passed are looked for and ended.
  CAMPAIGN_END_SWEEP_MS: int(1000, 100, 3_600_000),
};
