import 'reflect-metadata';
import { bootstrapService } from '@app/common';
import { loadEnvOrExit } from '@app/config';
import { AppModule } from './app.module';
import { leadsEnv } from './config';

async function main(): Promise<void> {
  const env = loadEnvOrExit(leadsEnv, 'leads');
  await bootstrapService({
    name: 'leads',
    module: AppModule.register(env),
    rpcHost: env.RPC_HOST,
    rpcPort: env.LEADS_PORT,
    healthHost: env.HEALTH_HOST,
    healthPort: env.HEALTH_PORT,
  });
}

main().catch((err) => {
  process.stderr.write(`[leads] failed to start: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
