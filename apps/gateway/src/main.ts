import 'reflect-metadata';
import { JsonLogger } from '@app/common';
import { loadEnvOrExit } from '@app/config';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { gatewayEnv } from './config';
import { deferredBodyParsers } from './core/body-parsing';
import { requestIdMiddleware } from './core/request-id.middleware';
import { setupSwagger } from './docs/swagger';
import { BULL_BOARD_PATH, mountBullBoard } from './queues/bull-board';

async function main(): Promise<void> {
  const env = loadEnvOrExit(gatewayEnv, 'gateway');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(env), {
    logger: new JsonLogger('gateway'),
    bodyParser: false,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestIdMiddleware);
  app.use(...deferredBodyParsers(env.BODY_LIMIT_BYTES));
  app.enableShutdownHooks();
  setupSwagger(app);
  const queues = mountBullBoard(app, env);
  await app.listen(env.PORT, env.HOST);
  new Logger('Bootstrap').log({
    msg: 'gateway ready',
    api: `${env.PUBLIC_API_URL}/api/v1`,
    docs: `${env.PUBLIC_API_URL}/docs`,
    bullBoard: `${env.PUBLIC_API_URL}${BULL_BOARD_PATH}`,
    queues: queues.length,
  });
}

main().catch((err) => {
  process.stderr.write(`[gateway] failed to start: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
