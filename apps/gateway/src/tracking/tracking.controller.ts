import { escapeHtml } from '@app/templating';
import { ExecutorRpc, verifyTrackingToken } from '@app/contracts';
import { Controller, Get, HttpCode, Inject, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { GATEWAY_ENV, GatewayEnv } from '../core/gateway-env';
import { EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';

const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * Public links inside sent emails, authenticated by their signed token (TRACKING_SECRET, shared
 * with the executor): open pixel, click redirect (to the stored URL only), unsubscribe page and
 * RFC 8058 one-click POST (no cookie, no key). A bad token gets a 404, never a redirect.
 */
@ApiExcludeController()
@Public()
@Controller('t')
export class TrackingController {
  private readonly logger = new Logger('Tracking');

  constructor(
    @Inject(EXECUTOR) private readonly executor: ServiceClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  @Get('o/:token')
  async open(@Param('token') raw: string, @Req() req: Request, @Res() res: Response) {
    const token = raw.replace(/\.gif$/, '');
    if (verifyTrackingToken(this.env.TRACKING_SECRET, token, 'o')) {
      await this.executor
        .call(ExecutorRpc.trackOpen, { token, userAgent: req.header('user-agent') })
        .catch((err: Error) => this.logger.warn({ msg: 'open not recorded', error: err.message }));
    }
    res
      .status(200)
      .set({ 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0' })
      .send(PIXEL);
  }

  @Get('c/:token')
  async click(@Param('token') token: string, @Req() req: Request, @Res() res: Response) {
    if (!verifyTrackingToken(this.env.TRACKING_SECRET, token, 'c')) return notFound(res);
    try {
      const { url } = await this.executor.call<{ url: string }>(ExecutorRpc.trackClick, {
        token,
        userAgent: req.header('user-agent'),
      });
      res.redirect(302, url);
    } catch {
      notFound(res);
    }
  }

  @Get('u/:token')
  async unsubscribePage(@Param('token') token: string, @Res() res: Response) {
    if (!verifyTrackingToken(this.env.TRACKING_SECRET, token, 'u')) return notFound(res);
    const { email } = await this.executor.call<{ email: string }>(ExecutorRpc.unsubscribe, {
      token,
      confirm: false,
    });
    // A page with a button, not an unsubscribe on GET: link scanners fetch every URL in a mail.
    page(
      res,
      'Unsubscribe',
      `<p>Stop emails to ${escapeHtml(email)}?</p><form method="post"><button type="submit">Unsubscribe</button></form>`,
    );
  }

  @Post('u/:token')
  @HttpCode(200)
  async unsubscribe(@Param('token') token: string, @Res() res: Response) {
    if (!verifyTrackingToken(this.env.TRACKING_SECRET, token, 'u')) return notFound(res);
    const { email } = await this.executor.call<{ email: string }>(ExecutorRpc.unsubscribe, {
      token,
      confirm: true,
    });
    page(res, 'Unsubscribed', `<p>${escapeHtml(email)} will get no more emails from us.</p>`);
  }
}

function page(res: Response, title: string, body: string): void {
  res
    .status(200)
    .set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`,
    );
}

function notFound(res: Response): void {
  res.status(404).set('content-type', 'text/plain').send('Not found');
}
