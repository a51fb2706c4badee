import { DomainError, NotFoundError, RequestContext } from '@app/common';
import { CampaignsRpc, CampaignView, LeadsApiRpc, LeadView, StepView } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { CAMPAIGNS_CLIENT, LEADS_CLIENT, ServiceClient } from '../core/service-client';
import { CampaignRun, snapshotOf } from '../runs/run-snapshot';
import { ContactFields } from '../sending/message-builder';

/** What previews, test sends and dry runs start from: the campaign as launch would see it. */
@Injectable()
export class AuthoringContext {
  constructor(
    @Inject(CAMPAIGNS_CLIENT) private readonly campaigns: ServiceClient,
    @Inject(LEADS_CLIENT) private readonly leads: ServiceClient,
  ) {}

  /** The campaign in the caller's workspace (404 otherwise), frozen the way a launch freezes it. */
  async run(
    ctx: RequestContext,
    campaignId: string,
    opts: { testMode?: boolean; targetPercentage?: number } = {},
  ): Promise<{ campaign: CampaignView; run: CampaignRun }> {
    const campaign = await this.campaigns.call<CampaignView>(
      CampaignsRpc.get,
      { id: campaignId },
      ctx,
    );
    const run: CampaignRun = {
      campaignId: campaign.id,
      tenantId: ctx.tenantId!,
      workspaceId: ctx.workspaceId!,
      status: campaign.status,
      campaignType: campaign.type,
      testMode: opts.testMode ?? false,
      targetPercentage: opts.targetPercentage ?? 100,
      snapshot: snapshotOf(campaign, 'normal'),
    };
    return { campaign, run };
  }

  emailStep(run: CampaignRun, stepId: string): StepView {
    const step = run.snapshot.steps.find((s) => s.id === stepId);
    if (!step) throw new NotFoundError('Step', stepId);
    if (step.type !== 'email')
      throw new DomainError(
        'NOT_AN_EMAIL_STEP',
        `Step ${stepId} is a ${step.type} step; only email steps render`,
        400,
      );
    return step;
  }

  /** A lead of the workspace, or sample fields (missing ones stay empty, as for a real lead). */
  async contact(
    ctx: RequestContext,
    leadId?: string,
    data: Record<string, unknown> = {},
  ): Promise<ContactFields> {
    if (leadId) {
      const lead = await this.leads.call<LeadView>(LeadsApiRpc.get, { id: leadId }, ctx);
      return {
        email: lead.email,
        firstName: lead.contact.firstName,
        lastName: lead.contact.lastName,
        company: lead.contact.company,
        title: lead.contact.title,
        phone: lead.contact.phone,
        timezone: lead.timezone,
        customFields: lead.customFields,
      };
    }
    const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : null);
    return {
      email: text('email') ?? 'preview@example.com',
      firstName: text('firstName'),
      lastName: text('lastName'),
      company: text('company'),
      title: text('title'),
      phone: text('phone'),
      timezone: text('timezone'),
      customFields: (typeof data.custom === 'object' && data.custom ? data.custom : {}) as Record<
        string,
        unknown
      >,
    };
  }
}
