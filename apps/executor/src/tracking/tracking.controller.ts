import { NotFoundError, RpcController, RpcRequest, scopeOf, ValidationError } from '@app/common';
import {
  EngagementEventTypes,
  ExecutorRpc,
  InboundEvent,
  verifyTrackingToken,
} from '@app/contracts';
import { Inject, Logger } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { UnsubscribeUseCase } from './unsubscribe.use-case';
import { EngagementRepository } from './engagement.repository';
import { InboundUseCase } from './inbound.use-case';

/**
 * The executor's side of the public tracking routes. The gateway has checked the token's
 * signature already; it is verified again here because this is where it is trusted.
 */
@RpcController()
export class TrackingController {
  private readonly logger = new Logger('Tracking');

  constructor(
    private readonly engagement: EngagementRepository,
    private readonly unsubscribeUseCase: UnsubscribeUseCase,
    private readonly inboundUseCase: InboundUseCase,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  @MessagePattern(ExecutorRpc.trackOpen)
  async open(@Payload() req: RpcRequest<{ token: string; userAgent?: string }>) {
    const claims = verifyTrackingToken(this.env.TRACKING_SECRET, req.data.token, 'o');
    const d = claims && (await this.engagement.delivery(claims.deliveryId));
    if (!d) return { recorded: false };
    await this.engagement.record(
      d,
      EngagementEventTypes.opened,
      { column: 'opened_at' },
      {
        userAgent: req.data.userAgent?.slice(0, 300),
      },
    );
    return { recorded: true };
  }

  /** Only the URL stored for that link of that campaign: never a URL from the request. */
  @MessagePattern(ExecutorRpc.trackClick)
  async click(@Payload() req: RpcRequest<{ token: string; userAgent?: string }>) {
    const claims = verifyTrackingToken(this.env.TRACKING_SECRET, req.data.token, 'c');
    const d = claims?.linkId ? await this.engagement.delivery(claims.deliveryId) : null;
    const url =
      d && claims?.linkId ? await this.engagement.linkUrl(claims.linkId, d.campaign_id) : null;
    if (!d || !url) throw new NotFoundError('Link');
    await this.engagement.record(
      d,
      EngagementEventTypes.clicked,
      { column: 'clicked_at' },
      {
        linkId: claims!.linkId,
        url,
        userAgent: req.data.userAgent?.slice(0, 300),
      },
    );
    return { url };
  }

  @MessagePattern(ExecutorRpc.unsubscribe)
  async unsubscribe(@Payload() req: RpcRequest<{ token: string; confirm: boolean }>) {
    const claims = verifyTrackingToken(this.env.TRACKING_SECRET, req.data.token, 'u');
    const d = claims && (await this.engagement.delivery(claims.deliveryId));
    if (!d) throw new NotFoundError('Subscription');
    if (!req.data.confirm) return { email: maskEmail(d.recipient), unsubscribed: false };
    await this.unsubscribeUseCase.execute(d);
    return { email: maskEmail(d.recipient), unsubscribed: true };
  }

  /** Bounces, complaints and replies reported by a provider, for the caller's workspace. */
  @MessagePattern(ExecutorRpc.inbound)
  async inbound(@Payload() req: RpcRequest<{ events: InboundEvent[] }>) {
    const scope = scopeOf(req.ctx);
    if (!Array.isArray(req.data.events)) throw new ValidationError('events must be an array');
    const results = [];
    for (const event of req.data.events)
      results.push(await this.inboundUseCase.execute(scope, event));
    this.logger.log({
      msg: 'inbound events',
      count: results.length,
      workspaceId: scope.workspaceId,
    });
    return { results };
  }
}

function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 2)}***@${domain}`;
}
