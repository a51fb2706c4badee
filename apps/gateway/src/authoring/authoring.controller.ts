import { RequestContext } from '@app/common';
import {
  AuthoringRpc,
  PreviewStepDto,
  RenderedMessage,
  SimulateCampaignDto,
  SimulationResult,
  TestSendDto,
  TestSendResult,
} from '@app/contracts';
import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';

const STEP = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const PREVIEW_EXAMPLE = {
  stepId: STEP,
  variantId: null,
  variantName: null,
  to: 'ada@example.com',
  from: 'Acme <news@acme.test>',
  subject: 'Hello Ada',
  html: '<p>Hi Ada, read <a href="http://127.0.0.1:3000/t/c/eyJ...">the post</a></p><img src="http://127.0.0.1:3000/t/o/eyJ....gif" …>',
  text: null,
  headers: {
    'List-Unsubscribe': '<http://127.0.0.1:3000/t/u/eyJ...>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
};
const SIMULATION_EXAMPLE = {
  campaignId: '3f1c2a8e-0d4b-4a53-9b3e-6f2a1c9d8e7f',
  startAt: '2030-01-07T10:00:00.000Z',
  audience: {
    matched: 1200,
    eligible: 1150,
    enrolled: 1150,
    excluded: { suppressed: 30, unconsented: 20, sampledOut: 0 },
  },
  totals: {
    sends: 2300,
    firstSendAt: '2030-01-07T14:00:00.000Z',
    lastSendAt: '2030-01-10T21:00:00.000Z',
    days: 4,
  },
  steps: [{ stepId: STEP, position: 1, name: 'Welcome', sends: 1150, variants: [] }],
  perDay: [
    {
      date: '2030-01-07',
      sends: 500,
      steps: [{ stepId: STEP, position: 1, name: 'Welcome', sends: 500, variants: [] }],
    },
  ],
  sample: [
    {
      leadId: '…',
      email: 'ada@example.com',
      timezone: 'America/New_York',
      timeline: [{ stepId: STEP, position: 1, at: '2030-01-07T14:00:00.000Z', variant: null }],
    },
  ],
  assumptions: [
    'Condition steps are taken as met: the plan cannot know future opens, clicks or replies.',
  ],
  tookMs: 412,
};

/** See what a campaign will do before it does it: previews, test sends, a dry run. */
@ApiTags('authoring')
@ApiBearerAuth()
@Controller('api/v1/campaigns/:id')
export class AuthoringController {
  constructor(@Inject(EXECUTOR) private readonly executor: ServiceClient) {}

  @Post('steps/:stepId/preview')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Render a step for a lead or sample data exactly as it would be sent (one per A/B variant)',
  })
  @ApiEnvelope([PREVIEW_EXAMPLE])
  preview(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('stepId', UuidPipe) stepId: string,
    @Body() preview: PreviewStepDto,
  ) {
    return this.executor.call<RenderedMessage[]>(
      AuthoringRpc.preview,
      { campaignId, stepId, preview },
      ctx,
    );
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Send one step (or all) to up to 10 addresses through the real channel; counted nowhere',
  })
  @ApiEnvelope({ sent: [{ to: 'qa@example.com', stepId: STEP, variantId: null }], failed: [] })
  test(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Body() test: TestSendDto,
  ) {
    return this.executor.call<TestSendResult>(AuthoringRpc.testSend, { campaignId, test }, ctx);
  }

  @Post('simulate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Dry run: audience and exclusions, sends per step, variant and day, last send, sample timelines',
  })
  @ApiEnvelope(SIMULATION_EXAMPLE)
  simulate(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Body() options: SimulateCampaignDto,
  ) {
    return this.executor.call<SimulationResult>(
      AuthoringRpc.simulate,
      { campaignId, options },
      ctx,
      120000,
    );
  }
}
