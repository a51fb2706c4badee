import { bearerToken } from '@app/auth';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { GatewayEnv } from '../core/gateway-env';
import { BULL_QUEUES } from './queues.module';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues, for tenant admin keys only: HTTP Basic with any user name and
 * the admin key as password (so a browser can log in), or `Authorization: Bearer <admin key>`.
 */
export function mountBullBoard(app: INestApplication, env: GatewayEnv): Queue[] {
  const queues = app.get<Queue[]>(BULL_QUEUES);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: env.BULL_BOARD_READ_ONLY })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Campaign queues' } },
  });
  const guard = app.get(ApiKeyGuard);
  const logger = new Logger('BullBoard');
  const adminOnly = async (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization') ?? '';
    let key = bearerToken(header);
    if (!key && header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      key = decoded.slice(decoded.indexOf(':') + 1);
    }
    try {
      if (key && (await guard.resolve(key)).admin) return next();
    } catch (err) {
      logger.debug({ msg: 'bull board login refused', error: (err as Error).message });
    }
    res.setHeader(
      'WWW-Authenticate',
      'Basic realm="Campaign queues (password: tenant admin API key)"',
    );
    res.status(401).json({
      success: false,
      message: 'Bull Board needs a tenant admin API key',
      error: { code: 'UNAUTHORIZED' },
    });
  };
  app.use(BULL_BOARD_PATH, adminOnly, serverAdapter.getRouter());
  return queues;
}
