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
  // `node --max-semi-space-size=N dist/apps/executor/main.js` sizes the main isolate's young
  // generation (docs/deploy.md, "Executor memory and speed"). V8 would apply it to every isolate
  // made later too, overriding the worker threads' own young generation (their resourceLimits):
  // one-per-POST HTTP sends then peaked at 433 MB instead of 370. The main isolate exists by
  // now, so unsetting the flag changes only the isolates made after it.
  setFlagsFromString('--max-semi-space-size=0');
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
