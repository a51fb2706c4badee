import 'reflect-metadata';
import { bootstrapService } from '@app/common';
import { loadEnvOrExit } from '@app/config';
import { AppModule } from './app.module';
import { analyticsEnv } from './config';

async function main(): Promise<void> {
  const env = loadEnvOrExit(analyticsEnv, 'analytics');
  await bootstrapService({
    name: 'analytics',
    module: AppModule.register(env),
    rpcHost: env.RPC_HOST,
    rpcPort: env.ANALYTICS_PORT,
    healthHost: env.HEALTH_HOST,
    healthPort: env.HEALTH_PORT,
  });
}

main().catch((err) => {
  process.stderr.write(`[analytics] failed to start: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
