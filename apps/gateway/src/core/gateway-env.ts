import { EnvOf } from '@app/config';
import { gatewayEnv } from '../config';

export type GatewayEnv = EnvOf<typeof gatewayEnv>;
export const GATEWAY_ENV = Symbol('GATEWAY_ENV');
