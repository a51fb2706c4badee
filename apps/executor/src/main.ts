import 'reflect-metadata';
import { bootstrapService } from '@app/common';
import { loadEnvOrExit } from '@app/config';
import { setFlagsFromString } from 'node:v8';
import { AppModule } from './app.module';
import { executorEnv } from './config';

async function main(): Promise<void> {
  const env = loadEnvOrExit(executorEnv, 'executor');
  // Before the heap has grown; V8 reads it at every full GC (config.ts says why).
  if (env.HEAP_GROWING_PERCENT)
    setFlagsFromString(`--heap-growing-percent=${env.HEAP_GROWING_PERCENT}`);
  await bootstrapService({
    name: 'executor',
    module: AppModule.register(env),
    rpcHost: env.RPC_HOST,
    rpcPort: env.EXECUTOR_PORT,
    healthHost: env.HEALTH_HOST,
    healthPort: env.HEALTH_PORT,
  });
}

main().catch((err) => {
  process.stderr.write(`[executor] failed to start: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
