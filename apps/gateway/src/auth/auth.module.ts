import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GATEWAY_ENV, GatewayEnv } from '../core/gateway-env';
import { ApiKeyGuard } from './api-key.guard';
import { KeyCache } from './key-cache';
import { KeyRevocations } from './key-revocations';

@Global()
@Module({
  providers: [
    {
      provide: KeyCache,
      inject: [GATEWAY_ENV],
      useFactory: (env: GatewayEnv) => new KeyCache(env.API_KEY_CACHE_TTL_MS),
    },
    KeyRevocations,
    ApiKeyGuard,
    { provide: APP_GUARD, useExisting: ApiKeyGuard },
  ],
  exports: [KeyCache, KeyRevocations, ApiKeyGuard],
})
export class AuthModule {}
