import 'reflect-metadata';
import { bootstrapService } from '@app/common';
import { loadEnvOrExit } from '@app/config';
import { AppModule } from './app.module';
import { campaignsEnv } from './config';

async function main(): Promise<void> {
  const env = loadEnvOrExit(campaignsEnv, 'campaigns');
  await bootstrapService({
    name: 'campaigns',
    module: AppModule.register(env),
    rpcHost: env.RPC_HOST,
    rpcPort: env.CAMPAIGNS_PORT,
    healthHost: env.HEALTH_HOST,
    healthPort: env.HEALTH_PORT,
  });
}

main().catch((err) => {
  process.stderr.write(`[campaigns] failed to start: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
