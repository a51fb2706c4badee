import { RequestContext } from '@app/common';
import { PreviewStepDto, RenderedMessage } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { AuthoringContext } from './authoring-context';
import { renderStep } from './render-step';

/** A step rendered exactly as the send worker renders it, for a lead or sample data. */
@Injectable()
export class PreviewStepUseCase {
  constructor(
    private readonly context: AuthoringContext,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  async execute(
    ctx: RequestContext,
    campaignId: string,
    stepId: string,
    dto: PreviewStepDto,
  ): Promise<RenderedMessage[]> {
    const { run } = await this.context.run(ctx, campaignId);
    const step = this.context.emailStep(run, stepId);
    const contact = await this.context.contact(ctx, dto.leadId, dto.data);
    const rendered = await renderStep(run, step, contact, {
      publicUrl: this.env.PUBLIC_API_URL,
      trackingSecret: this.env.TRACKING_SECRET,
    });
    return rendered.map((r) => r.rendered);
  }
}
