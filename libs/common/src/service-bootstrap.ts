import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { HealthService } from './health';
import { JsonLogger } from './logger';

export interface ServiceBootOptions {
  name: string;
  module: unknown;
  rpcHost: string;
  rpcPort: number;
  healthHost: string;
  healthPort: number;
}

/**
 * Boots a back-end service: its TCP RPC endpoint for the gateway, plus a small HTTP server
 * for /health (and /metrics where the service has them). Shuts down cleanly on SIGTERM/SIGINT.
 */
export async function bootstrapService(opts: ServiceBootOptions): Promise<INestApplication> {
  const logger = new JsonLogger(opts.name);
  const app = await NestFactory.create(opts.module as never, { logger, abortOnError: false });
  app.get(HealthService).service = opts.name;
  app.connectMicroservice<MicroserviceOptions>(
    { transport: Transport.TCP, options: { host: opts.rpcHost, port: opts.rpcPort } },
    { inheritAppConfig: false },
  );
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen(opts.healthPort, opts.healthHost);
  new Logger('Bootstrap').log({
    msg: `${opts.name} ready`,
    rpc: `${opts.rpcHost}:${opts.rpcPort}`,
    health: `http://${opts.healthHost}:${opts.healthPort}/health`,
  });
  return app;
}
