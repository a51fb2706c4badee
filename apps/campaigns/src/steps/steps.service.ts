import { ConflictError, NotFoundError, Scope, ValidationError } from '@app/common';
import { CampaignStatus, CreateStepDto, StepView, UpdateStepDto } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { CampaignEvents } from '../campaigns/campaign-events';
import { CampaignLookup } from '../campaigns/campaign-lookup';
import { STEP_EDITABLE_STATUSES } from '../campaigns/campaign-state';
import { StepEntity } from './step.entity';
import { StepContent } from './step-content';
import { validateStep } from './step-rules';

@Injectable()
export class StepsService {
  constructor(
    private readonly ds: DataSource,
    private readonly lookup: CampaignLookup,
    private readonly events: CampaignEvents,
    private readonly content: StepContent,
  ) {}

  async list(scope: Scope, campaignId: string): Promise<StepView[]> {
    await this.lookup.find(scope, campaignId);
    const steps = await this.ds
      .getRepository(StepEntity)
      .find({ where: { campaignId }, order: { position: 'ASC' } });
    return this.content.views(steps);
  }

  async create(scope: Scope, campaignId: string, dto: CreateStepDto): Promise<StepView> {
    const problems = validateStep(dto);
    if (problems.length) throw new ValidationError('Invalid step', problems);
    const step = await this.ds.transaction(async (m) => {
      const campaign = await this.editableCampaign(m, scope, campaignId);
      await this.content.assertTemplates(m, scope, dto);
      const [{ count }] = await m.query(
        'SELECT count(*)::int AS count FROM campaigns.steps WHERE campaign_id = $1',
        [campaignId],
      );
      const position = Math.min(dto.position ?? count + 1, count + 1);
      await m.query(
        'UPDATE campaigns.steps SET position = position + 1 WHERE campaign_id = $1 AND position >= $2',
        [campaignId, position],
      );
      const repo = m.getRepository(StepEntity);
      const saved = await repo.save(
        repo.create({
          ...scope,
          campaignId,
          position,
          type: dto.type,
          name: dto.name ?? null,
          subject: dto.subject ?? null,
          bodyHtml: dto.bodyHtml ?? null,
          bodyText: dto.bodyText ?? null,
          templateId: dto.templateId ?? null,
          templateVersion: dto.templateVersion ?? null,
          delay: dto.delay ?? null,
          condition: dto.condition ?? null,
          webhook: dto.webhook ?? null,
          variants: (dto.variants ?? []).map((v) => ({ id: randomUUID(), ...v })),
          metadata: dto.metadata ?? {},
        }),
      );
      await this.events.emit(m, campaign, 'campaign.step_added', { stepId: saved.id, position });
      return saved;
    });
    this.events.flush();
    return (await this.content.views([step]))[0];
  }

  async update(
    scope: Scope,
    campaignId: string,
    stepId: string,
    dto: UpdateStepDto,
  ): Promise<StepView> {
    const step = await this.ds.transaction(async (m) => {
      const campaign = await this.editableCampaign(m, scope, campaignId);
      const current = await this.findStep(m, campaignId, stepId);
      const { position, variants, ...fields } = dto;
      const merged: StepEntity = { ...current, ...fields } as StepEntity;
      if (variants) {
        // Variants keep their ids when a variant of the same name is edited, so sends stay attributable.
        const byName = new Map(current.variants.map((v) => [v.name, v.id]));
        merged.variants = variants.map((v) => ({ id: byName.get(v.name) ?? randomUUID(), ...v }));
      }
      const problems = validateStep(merged);
      if (problems.length) throw new ValidationError('Invalid step', problems);
      await this.content.assertTemplates(m, scope, merged);
      if (position !== undefined && position !== current.position)
        await this.move(m, current, position);
      const { id: _id, createdAt: _c, updatedAt: _u, position: _p, ...columns } = merged;
      await m.getRepository(StepEntity).update({ id: stepId }, columns);
      await this.events.emit(m, campaign, 'campaign.step_updated', { stepId });
      return this.findStep(m, campaignId, stepId);
    });
    this.events.flush();
    return (await this.content.views([step]))[0];
  }

  async remove(
    scope: Scope,
    campaignId: string,
    stepId: string,
  ): Promise<{ id: string; message: string }> {
    await this.ds.transaction(async (m) => {
      const campaign = await this.editableCampaign(m, scope, campaignId);
      const step = await this.findStep(m, campaignId, stepId);
      await m.getRepository(StepEntity).delete({ id: stepId });
      await m.query(
        'UPDATE campaigns.steps SET position = position - 1 WHERE campaign_id = $1 AND position > $2',
        [campaignId, step.position],
      );
      await this.events.emit(m, campaign, 'campaign.step_removed', { stepId });
    });
    this.events.flush();
    return { id: stepId, message: 'Step deleted successfully' };
  }

  private async move(m: EntityManager, step: StepEntity, requested: number): Promise<void> {
    const [{ count }] = await m.query(
      'SELECT count(*)::int AS count FROM campaigns.steps WHERE campaign_id = $1',
      [step.campaignId],
    );
    const target = Math.min(Math.max(requested, 1), count);
    if (target > step.position) {
      await m.query(
        'UPDATE campaigns.steps SET position = position - 1 WHERE campaign_id = $1 AND position > $2 AND position <= $3',
        [step.campaignId, step.position, target],
      );
    } else {
      await m.query(
        'UPDATE campaigns.steps SET position = position + 1 WHERE campaign_id = $1 AND position >= $2 AND position < $3',
        [step.campaignId, target, step.position],
      );
    }
    await m.query('UPDATE campaigns.steps SET position = $2 WHERE id = $1', [step.id, target]);
  }

  private async editableCampaign(
    m: EntityManager,
    scope: Scope,
    campaignId: string,
  ): Promise<CampaignEntity> {
    const campaign = await this.lookup.find(scope, campaignId, m, true);
    if (!STEP_EDITABLE_STATUSES.includes(campaign.status as CampaignStatus)) {
      throw new ConflictError(
        'CAMPAIGN_NOT_EDITABLE',
        `Steps cannot change while the campaign is ${campaign.status}` +
          (campaign.status === 'active' ? ' (pause it first)' : ''),
        [
          {
            field: 'status',
            message: `current status is ${campaign.status}`,
            currentStatus: campaign.status,
          },
        ],
      );
    }
    return campaign;
  }

  private async findStep(
    m: EntityManager,
    campaignId: string,
    stepId: string,
  ): Promise<StepEntity> {
    const step = await m.getRepository(StepEntity).findOneBy({ id: stepId, campaignId });
    if (!step) throw new NotFoundError('Step', stepId);
    return step;
  }
}
