import { RequestContext } from '@app/common';
import {
  CreateWebhookDto,
  ExecutorRpc,
  RotateWebhookSecretDto,
  UpdateWebhookDto,
  WebhookDeliveryView,
  WebhookView,
} from '@app/contracts';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';

const WEBHOOK_EXAMPLE = {
  id: '5d3c1a2b-7e8f-4a9b-8c1d-2e3f4a5b6c7d',
  url: 'https://hooks.example.com/campaigns',
  events: ['campaign.started', 'campaign.completed'],
  description: 'CRM sync',
  active: true,
  secretRotation: null,
  createdAt: '2026-01-15T09:00:00.000Z',
  updatedAt: '2026-01-15T09:00:00.000Z',
};

/**
 * Outbound webhooks of the workspace. Deliveries are POSTs signed with
 * `X-Webhook-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.rawBody">` (two v1 during a rotation).
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(@Inject(EXECUTOR) private readonly executor: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'List webhooks (secrets are never shown again)' })
  @ApiEnvelope([WEBHOOK_EXAMPLE])
  list(@Ctx() ctx: RequestContext) {
    return this.executor.call<WebhookView[]>(ExecutorRpc.listWebhooks, {}, ctx);
  }

  @Post()
  @ApiOperation({ summary: 'Create a webhook; the answer carries its signing secret, once' })
  @ApiEnvelope({ ...WEBHOOK_EXAMPLE, secret: 'whsec_...' }, 201)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateWebhookDto) {
    return this.executor.call<WebhookView>(ExecutorRpc.createWebhook, dto, ctx);
  }

  @Get(':id')
  @ApiEnvelope(WEBHOOK_EXAMPLE)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.executor.call<WebhookView>(ExecutorRpc.getWebhook, { id }, ctx);
  }

  @Patch(':id')
  @ApiEnvelope(WEBHOOK_EXAMPLE)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateWebhookDto,
  ) {
    return this.executor.call<WebhookView>(ExecutorRpc.updateWebhook, { id, changes: dto }, ctx);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiEnvelope({ id: WEBHOOK_EXAMPLE.id, message: 'Webhook deleted' })
  remove(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.executor.call(ExecutorRpc.removeWebhook, { id }, ctx);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'New secret; the old one also signs until the overlap ends' })
  @ApiEnvelope({
    ...WEBHOOK_EXAMPLE,
    secret: 'whsec_...',
    secretRotation: { previousExpiresAt: '2026-01-16T09:00:00.000Z' },
  })
  rotate(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: RotateWebhookSecretDto,
  ) {
    return this.executor.call<WebhookView>(ExecutorRpc.rotateWebhookSecret, { id, ...dto }, ctx);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery log, newest first: status, attempts, last answer' })
  @ApiEnvelope([
    {
      id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
      eventType: 'campaign.started',
      status: 'succeeded',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
    },
  ])
  deliveries(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.executor.call<WebhookDeliveryView[]>(ExecutorRpc.webhookDeliveries, { id }, ctx);
  }
}
