import { DomainError, RequestContext } from '@app/common';
import { TestSendDto, TestSendResult } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChannelError } from '../channels/channel';
import { ChannelAccountsService } from '../channels/channel-accounts.service';
import { ChannelRegistry } from '../channels/channel-registry';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { AuthoringContext } from './authoring-context';
import { renderStep } from './render-step';

/**
 * Sends one step (or every email step) to up to 10 addresses through the real channel. Marked
 * as a test in the subject and headers; no delivery row, no event, no limit: counted nowhere.
 */
@Injectable()
export class TestSendUseCase {
  private readonly logger = new Logger('TestSend');

  constructor(
    private readonly context: AuthoringContext,
    private readonly channels: ChannelRegistry,
    private readonly accounts: ChannelAccountsService,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  async execute(
    ctx: RequestContext,
    campaignId: string,
    dto: TestSendDto,
  ): Promise<TestSendResult> {
    const { run } = await this.context.run(ctx, campaignId);
    const steps = dto.stepId
      ? [this.context.emailStep(run, dto.stepId)]
      : run.snapshot.steps.filter((s) => s.type === 'email');
    if (!steps.length)
      throw new DomainError('NOTHING_TO_SEND', 'The campaign has no email step to test', 400);
    // Through the account the real run would use, so a test send proves its credentials too.
    const account = await this.accounts.forSend(
      run.workspaceId,
      run.snapshot.settings.channelAccountId,
    );
    if (account === 'missing' || account === 'blocked')
      throw new DomainError(
        account === 'missing' ? 'CHANNEL_ACCOUNT_MISSING' : 'CHANNEL_ACCOUNT_BLOCKED',
        account === 'missing'
          ? `The campaign's channel account ${run.snapshot.settings.channelAccountId} does not exist`
          : "The campaign's channel account points at a refused address",
        400,
      );
    const sender = account?.channel ?? this.channels.get('email');
    const result: TestSendResult = { sent: [], failed: [] };
    for (const to of [...new Set(dto.emails.map((e) => e.toLowerCase()))]) {
      const contact = { ...(await this.context.contact(ctx, undefined, dto.data)), email: to };
      for (const step of steps) {
        const [first] = await renderStep(run, step, contact, {
          publicUrl: this.env.PUBLIC_API_URL,
          trackingSecret: this.env.TRACKING_SECRET,
        });
        const message = {
          ...first.message,
          subject: `[Test] ${first.message.subject ?? ''}`,
          headers: { ...first.message.headers, 'X-Test-Send': 'true' },
        };
        try {
          const sent = await sender.send(message);
          result.sent.push({
            to,
            stepId: step.id,
            variantId: first.rendered.variantId,
            providerMessageId: sent.providerMessageId,
          });
        } catch (err) {
          const code = err instanceof ChannelError ? err.code : 'SEND_FAILED';
          result.failed.push({ to, stepId: step.id, code, reason: (err as Error).message });
        }
      }
    }
    this.logger.log({
      msg: 'test send',
      campaignId,
      sent: result.sent.length,
      failed: result.failed.length,
    });
    return result;
  }
}
