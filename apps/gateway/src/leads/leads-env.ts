import { EnvOf, int, loadEnvOrExit, str } from '@app/config';
import * as os from 'node:os';
import * as path from 'node:path';

/** The gateway's import settings; LEADS_IMPORT_DIR must be the leads service's spool dir too. */
export const gatewayLeadsEnv = {
  LEADS_IMPORT_DIR: str(path.join(os.homedir(), '.cache', 'campaign-platform', 'imports')),
  LEADS_IMPORT_MAX_BYTES: int(512 * 1024 * 1024, 1024, 8 * 1024 * 1024 * 1024),
};

export type GatewayLeadsEnv = EnvOf<typeof gatewayLeadsEnv>;
export const GATEWAY_LEADS_ENV = Symbol('GATEWAY_LEADS_ENV');
export const loadGatewayLeadsEnv = (): GatewayLeadsEnv => loadEnvOrExit(gatewayLeadsEnv, 'gateway');
