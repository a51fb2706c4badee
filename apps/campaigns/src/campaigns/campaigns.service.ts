import {
  buildPagination,
  ConflictError,
  DomainError,
  Paged,
  parseSort,
  resolvePage,
  Scope,
  ValidationError,
} from '@app/common';
import {
  CampaignEventTypes,
  CampaignStatus,
  CampaignTaskCounts,
  CampaignView,
  CloneCampaignDto,
  StepView,
  CreateCampaignDto,
  LaunchCampaignDto,
  ListCampaignsQuery,
  TransitionResult,
  UpdateCampaignDto,
} from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { StepEntity } from '../steps/step.entity';
import { StepContent } from '../steps/step-content';
import { CampaignEntity } from './campaign.entity';
import { CampaignEvents } from './campaign-events';
import { CampaignLookup } from './campaign-lookup';
import { actionForTarget, CampaignAction, DELETABLE_STATUSES, nextStatus } from './campaign-state';
import { noTasks, toCampaignView } from './campaign.mapper';

const SORTABLE = {
  createdAt: 'c.created_at',
  updatedAt: 'c.updated_at',
  name: 'c.name',
  status: 'c.status',
  type: 'c.type',
  goal: 'c.goal',
};
const OBJECT_FIELDS = [
  'targetAudience',
  'content',
  'schedule',
  'goals',
  'strategy',
  'settings',
  'integrationSettings',
] as const;

const EVENT_FOR: Record<CampaignAction, string> = {
  launch: CampaignEventTypes.started,
  start: CampaignEventTypes.started,
  schedule: CampaignEventTypes.scheduled,
  unschedule: CampaignEventTypes.statusChanged,
  pause: CampaignEventTypes.paused,
  resume: CampaignEventTypes.resumed,
  cancel: CampaignEventTypes.cancelled,
  complete: CampaignEventTypes.completed,
  fail: CampaignEventTypes.failed,
  miss: CampaignEventTypes.statusChanged,
  end: CampaignEventTypes.completed,
};

export interface TransitionInput {
  /** Either an action, or (PATCH /status) the status to reach, resolved under the row lock. */
  action?: CampaignAction;
  targetStatus?: CampaignStatus;
  reason?: string;
  launch?: LaunchCampaignDto;
}

/** A schedule date as a Date (the DTO has checked it is ISO 8601), or null when absent. */
function scheduleDate(schedule: object | null | undefined, key: 'startDate' | 'endDate') {
  const value = (schedule as Record<string, unknown> | null | undefined)?.[key];
  return typeof value === 'string' && value ? new Date(value) : null;
}

/** A schedule whose end is not after its start is refused (400 naming schedule.endDate). */
function assertSchedule(schedule: object | null | undefined): void {
  const start = scheduleDate(schedule, 'startDate');
  const end = scheduleDate(schedule, 'endDate');
  if (start && end && end.getTime() <= start.getTime())
    throw new ValidationError('schedule.endDate must be after schedule.startDate', [
      {
        field: 'schedule.endDate',
        message: `must be after schedule.startDate (${start.toISOString()})`,
      },
    ]);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class CampaignsService {
  constructor(
    private readonly ds: DataSource,
    private readonly lookup: CampaignLookup,
    private readonly events: CampaignEvents,
    private readonly stepContent: StepContent,
  ) {}

  async create(scope: Scope, dto: CreateCampaignDto): Promise<CampaignView> {
    assertSchedule(dto.schedule);
    const campaign = await this.ds.transaction(async (m) => {
      const repo = m.getRepository(CampaignEntity);
      const saved = await repo.save(
        repo.create({
          ...scope,
          name: dto.name,
          description: dto.description ?? null,
          type: dto.type ?? 'broadcast',
          goal: dto.goal ?? null,
          channel: dto.channel ?? 'email',
          status: 'draft',
          targetAudience: { ...(dto.targetAudience ?? {}) },
          fromEmail: dto.fromEmail ?? null,
          fromName: dto.fromName ?? null,
          replyTo: dto.replyTo ?? null,
          content: { ...(dto.content ?? {}) },
          schedule: { ...(dto.schedule ?? {}) },
          endsAt: scheduleDate(dto.schedule, 'endDate'),
          budget: dto.budget ?? null,
          currency: dto.currency ?? 'USD',
          goals: { ...(dto.goals ?? {}) },
          kpis: dto.kpis ?? [],
          channels: dto.channels ?? [],
          strategy: { ...(dto.strategy ?? {}) },
          settings: { trackOpens: true, trackClicks: true, ...(dto.settings ?? {}) },
          integrationSettings: { ...(dto.integrationSettings ?? {}) },
          createdBy: dto.createdBy ?? null,
        }),
      );
      await this.events.emit(m, saved, CampaignEventTypes.created);
      return saved;
    });
    this.events.flush();
    return toCampaignView(campaign);
  }

  async list(scope: Scope, query: ListCampaignsQuery): Promise<Paged<CampaignView>> {
    const { limit, offset } = resolvePage(query);
    const sort = parseSort(query.sort, SORTABLE, '-createdAt');
    const qb = this.ds
      .getRepository(CampaignEntity)
      .createQueryBuilder('c')
      .where('c.tenant_id = :tenantId AND c.workspace_id = :workspaceId', scope);
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.type) qb.andWhere('c.type = :type', { type: query.type });
    if (query.goal) qb.andWhere('c.goal = :goal', { goal: query.goal });
    if (query.search) {
      qb.andWhere("(c.name ILIKE :q ESCAPE '\\' OR c.description ILIKE :q ESCAPE '\\')", {
        q: `%${escapeLike(query.search)}%`,
      });
    }
    // A plain count(*): TypeORM's getManyAndCount counts DISTINCT ids, several times slower here.
    const counted = qb.clone().select('count(*)::int', 'total').getRawOne<{ total: number }>();
    qb.orderBy(sort.column, sort.direction)
      .addOrderBy('c.id', sort.direction)
      .offset(offset)
      .limit(limit);
    const [rows, count] = await Promise.all([qb.getMany(), counted]);
    const total = count?.total ?? 0;
    const tasks = await this.taskCounts(rows.map((c) => c.id));
    return {
      items: rows.map((c) => toCampaignView(c, undefined, tasks.get(c.id))),
      pagination: buildPagination(total, limit, offset),
    };
  }

  async get(scope: Scope, id: string): Promise<CampaignView> {
    const campaign = await this.lookup.find(scope, id);
    const steps = await this.ds
      .getRepository(StepEntity)
      .find({ where: { campaignId: id }, order: { position: 'ASC' } });
    return this.viewOf(campaign, await this.stepContent.views(steps));
  }

  /** One campaign's view with its task counts. */
  private async viewOf(campaign: CampaignEntity, steps?: StepView[]): Promise<CampaignView> {
    const tasks = await this.taskCounts([campaign.id]);
    return toCampaignView(campaign, steps, tasks.get(campaign.id));
  }

  /** Tasks per campaign and status for a page of campaigns (already the caller's), one query. */
  private async taskCounts(ids: string[]): Promise<Map<string, CampaignTaskCounts>> {
    const counts = new Map<string, CampaignTaskCounts>();
    if (!ids.length) return counts;
    const rows: { campaign_id: string; status: keyof CampaignTaskCounts['byStatus']; n: number }[] =
      await this.ds.query(
        `SELECT campaign_id, status, count(*)::int AS n FROM campaigns.tasks
          WHERE campaign_id = ANY($1::uuid[]) GROUP BY 1, 2`,
        [ids],
      );
    for (const r of rows) {
      const c = counts.get(r.campaign_id) ?? noTasks();
      c.byStatus[r.status] = r.n;
      c.total += r.n;
      counts.set(r.campaign_id, c);
    }
    return counts;
  }

  async update(
    scope: Scope,
    id: string,
    dto: UpdateCampaignDto & { status?: string },
  ): Promise<CampaignView> {
    const { status, ...changes } = dto;
    const campaign = await this.ds.transaction(async (m) => {
      const current = await this.lookup.find(scope, id, m, true);
      if (current.status === 'completed') {
        throw new ConflictError('CAMPAIGN_COMPLETED', 'A completed campaign cannot be updated', [
          { field: 'status', message: 'current status is completed', currentStatus: 'completed' },
        ]);
      }
      const patch: Partial<CampaignEntity> = {};
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        // Nested objects merge one level deep, so PATCH {settings:{dailyLimit}} keeps trackOpens.
        (patch as Record<string, unknown>)[key] = (OBJECT_FIELDS as readonly string[]).includes(key)
          ? {
              ...((current as unknown as Record<string, Record<string, unknown>>)[key] ?? {}),
              ...(value as object),
            }
          : value;
      }
      // The fields the user changed; `ends_at` follows the schedule and is not one of them.
      const fields = Object.keys(patch);
      if (patch.schedule) {
        assertSchedule(patch.schedule);
        patch.endsAt = scheduleDate(patch.schedule, 'endDate');
      }
      if (fields.length) {
        await m.getRepository(CampaignEntity).update({ id }, patch);
        Object.assign(current, patch);
        await this.events.emit(m, current, CampaignEventTypes.updated, { fields });
      }
      if (status && status !== current.status) {
        await this.applyTransition(m, current, { targetStatus: status as CampaignStatus });
      }
      return this.lookup.find(scope, id, m);
    });
    this.events.flush();
    return this.viewOf(campaign);
  }

  async remove(scope: Scope, id: string): Promise<{ id: string; message: string }> {
    await this.ds.transaction(async (m) => {
      const campaign = await this.lookup.find(scope, id, m, true);
      if (!DELETABLE_STATUSES.includes(campaign.status as CampaignStatus)) {
        throw new ConflictError(
          'CAMPAIGN_NOT_DELETABLE',
          `Only draft or cancelled campaigns can be deleted; this one is ${campaign.status}`,
          [
            {
              field: 'status',
              message: `current status is ${campaign.status}`,
              currentStatus: campaign.status,
            },
          ],
        );
      }
      await m.getRepository(CampaignEntity).delete({ id });
      await this.events.emit(m, campaign, CampaignEventTypes.deleted);
    });
    this.events.flush();
    return { id, message: 'Campaign deleted successfully' };
  }

  async transition(scope: Scope, id: string, input: TransitionInput): Promise<TransitionResult> {
    const result = await this.ds.transaction(async (m) => {
      const campaign = await this.lookup.find(scope, id, m, true);
      const from = campaign.status;
      const launched = await this.applyTransition(m, campaign, input);
      return { from, launched, campaign: await this.lookup.find(scope, id, m) };
    });
    this.events.flush();
    const to = result.campaign.status;
    return {
      campaign: await this.viewOf(result.campaign),
      from: result.from,
      to,
      message:
        to === 'scheduled'
          ? `Campaign scheduled for ${result.campaign.scheduledAt?.toISOString()}`
          : `Campaign ${to}`,
      // A launch answers with its id (seed 004's execute); its end is not known before sending.
      ...(result.launched
        ? { executionId: result.launched.executionId, estimatedCompletion: null }
        : {}),
    };
  }

  /**
   * The one place a campaign's status changes: state table, timestamps, event. Returns the new
   * launch record when this transition launched or scheduled the campaign.
   */
  private async applyTransition(
    m: EntityManager,
    campaign: CampaignEntity,
    input: TransitionInput,
  ): Promise<{ executionId: string } | null> {
    let action =
      input.action ??
      actionForTarget(
        campaign.status as CampaignStatus,
        input.targetStatus ?? (campaign.status as CampaignStatus),
      );
    const now = new Date();
    // A launch without its own time starts at schedule.startDate when that is still ahead.
    const startDate = scheduleDate(campaign.schedule, 'startDate');
    const scheduledAt = input.launch?.scheduledAt
      ? new Date(input.launch.scheduledAt)
      : action === 'launch' && startDate && startDate > now
        ? startDate
        : null;
    if (action === 'launch' && scheduledAt && scheduledAt > now) action = 'schedule';
    const from = campaign.status as CampaignStatus;
    const to = nextStatus(from, action);
    if (['launch', 'schedule', 'start', 'resume'].includes(action))
      this.assertNotEnded(campaign, action, now, action === 'schedule' ? scheduledAt : null);
    if (action === 'launch' || action === 'schedule' || action === 'start') {
      await this.assertLaunchable(m, campaign);
      await this.stepContent.pinVersions(m, campaign.id);
    }

    const patch: Partial<CampaignEntity> = { status: to, statusReason: input.reason ?? null };
    if (action === 'launch' || action === 'schedule') {
      patch.launch = {
        // Travels with campaign.started to the executor's run and its /progress.
        executionId: randomUUID(),
        testMode: input.launch?.testMode ?? false,
        targetPercentage: input.launch?.targetPercentage ?? 100,
        priority: input.launch?.priority ?? 'normal',
        requestedAt: now.toISOString(),
      };
    }
    if (action === 'schedule') patch.scheduledAt = scheduledAt;
    if (action === 'unschedule') patch.scheduledAt = null;
    if (to === 'active' && from !== 'paused') patch.launchedAt = now;
    if (action === 'pause') patch.pausedAt = now;
    if (action === 'resume') patch.pausedAt = null;
    if (to === 'completed') patch.completedAt = now;
    if (to === 'cancelled') patch.cancelledAt = now;
    await m.getRepository(CampaignEntity).update({ id: campaign.id }, patch);
    Object.assign(campaign, patch);
    await this.events.emit(m, campaign, EVENT_FOR[action], {
      from,
      to,
      action,
      reason: input.reason,
      launch: patch.launch ?? campaign.launch ?? undefined,
      scheduledAt: campaign.scheduledAt?.toISOString(),
    });
    return (patch.launch as { executionId: string } | undefined) ?? null;
  }

  /**
   * Nothing starts or resumes once schedule.endDate has passed (409), and a launch may not be
   * scheduled at or after it (400): the campaign would be ended before it sent anything.
   */
  private assertNotEnded(
    campaign: CampaignEntity,
    action: CampaignAction,
    now: Date,
    scheduledAt: Date | null,
  ): void {
    const end = campaign.endsAt;
    if (!end) return;
    if (end <= now)
      throw new ConflictError(
        'CAMPAIGN_ENDED',
        `Cannot ${action} a campaign whose schedule.endDate (${end.toISOString()}) has passed; move the end date later first`,
        [{ field: 'schedule.endDate', message: `${end.toISOString()} has passed` }],
      );
    if (scheduledAt && scheduledAt >= end)
      throw new ValidationError('scheduledAt must be before schedule.endDate', [
        {
          field: 'scheduledAt',
          message: `${scheduledAt.toISOString()} is not before schedule.endDate (${end.toISOString()})`,
        },
      ]);
  }

  private async assertLaunchable(m: EntityManager, campaign: CampaignEntity): Promise<void> {
    const problems: { field: string; message: string }[] = [];
    const sending = await m
      .getRepository(StepEntity)
      .createQueryBuilder('s')
      .where('s.campaign_id = :id AND s.type IN (:...types)', {
        id: campaign.id,
        types: ['email', 'webhook'],
      })
      .getCount();
    if (!sending)
      problems.push({ field: 'steps', message: 'add at least one email or webhook step' });
    if (campaign.channel === 'email' && !campaign.fromEmail)
      problems.push({ field: 'fromEmail', message: 'set a sender address' });
    if (problems.length) {
      throw new DomainError(
        'CAMPAIGN_NOT_READY',
        `Campaign cannot launch: ${problems.map((p) => p.message).join('; ')}`,
        422,
        problems,
      );
    }
  }

  async clone(scope: Scope, id: string, dto: CloneCampaignDto): Promise<CampaignView> {
    const clone = await this.ds.transaction(async (m) => {
      const original = await this.lookup.find(scope, id, m);
      const repo = m.getRepository(CampaignEntity);
      const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = original;
      const saved = await repo.save(
        repo.create({
          ...fields,
          name: dto.name ?? `${original.name} (Copy)`,
          status: 'draft',
          statusReason: null,
          launch: null,
          clonedFrom: original.id,
          scheduledAt: null,
          launchedAt: null,
          pausedAt: null,
          completedAt: null,
          cancelledAt: null,
        }),
      );
      // Set-based copy of the sequence with fresh ids; analytics start from zero on the clone.
      await m.query(
        `INSERT INTO campaigns.steps (tenant_id, workspace_id, campaign_id, position, type, name, subject, body_html,
                body_text, template_id, template_version, delay, condition, webhook, variants, metadata)
         SELECT tenant_id, workspace_id, $1, position, type, name, subject, body_html, body_text, template_id, template_version,
                delay, condition, webhook,
                COALESCE((SELECT jsonb_agg(v || jsonb_build_object('id', gen_random_uuid()))
                            FROM jsonb_array_elements(variants) v), '[]'::jsonb),
                metadata
           FROM campaigns.steps WHERE campaign_id = $2`,
        [saved.id, original.id],
      );
      await this.events.emit(m, saved, CampaignEventTypes.cloned, { clonedFrom: original.id });
      return saved;
    });
    this.events.flush();
    return this.get(scope, clone.id);
  }
}
