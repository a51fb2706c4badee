import { NotFoundError, Scope } from '@app/common';
import { CreateTaskDto, TaskView, UpdateTaskDto } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CampaignLookup } from '../campaigns/campaign-lookup';
import { TaskEntity } from './task.entity';

const toTaskView = (t: TaskEntity): TaskView => ({
  id: t.id,
  campaignId: t.campaignId,
  title: t.title,
  description: t.description,
  assignee: t.assignee,
  dueDate: t.dueDate?.toISOString() ?? null,
  status: t.status,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

/** Execution tasks of a campaign (copywriting, assets...): plain records, no workflow rules. */
@Injectable()
export class TasksService {
  constructor(
    private readonly ds: DataSource,
    private readonly lookup: CampaignLookup,
  ) {}

  async list(scope: Scope, campaignId: string): Promise<TaskView[]> {
    await this.lookup.find(scope, campaignId);
    const rows = await this.ds
      .getRepository(TaskEntity)
      .find({ where: { campaignId }, order: { createdAt: 'ASC' } });
    return rows.map(toTaskView);
  }

  async create(scope: Scope, campaignId: string, dto: CreateTaskDto): Promise<TaskView> {
    await this.lookup.find(scope, campaignId);
    const repo = this.ds.getRepository(TaskEntity);
    const saved = await repo.save(
      repo.create({
        ...scope,
        campaignId,
        title: dto.title,
        description: dto.description ?? null,
        assignee: dto.assignee ?? null,
        dueDate: dto.dueDate ? new Date(dto.dueDate) : null,
        status: dto.status ?? 'pending',
      }),
    );
    return toTaskView(saved);
  }

  async update(
    scope: Scope,
    campaignId: string,
    taskId: string,
    dto: UpdateTaskDto,
  ): Promise<TaskView> {
    const task = await this.find(scope, campaignId, taskId);
    const { dueDate, ...rest } = dto;
    const patch: Partial<TaskEntity> = { ...rest };
    if (dueDate !== undefined) patch.dueDate = dueDate ? new Date(dueDate) : null;
    if (Object.keys(patch).length)
      await this.ds.getRepository(TaskEntity).update({ id: task.id }, patch);
    return toTaskView(await this.find(scope, campaignId, taskId));
  }

  async remove(
    scope: Scope,
    campaignId: string,
    taskId: string,
  ): Promise<{ id: string; message: string }> {
    const task = await this.find(scope, campaignId, taskId);
    await this.ds.getRepository(TaskEntity).delete({ id: task.id });
    return { id: taskId, message: 'Task deleted successfully' };
  }

  private async find(scope: Scope, campaignId: string, taskId: string): Promise<TaskEntity> {
    await this.lookup.find(scope, campaignId);
    const task = await this.ds
      .getRepository(TaskEntity)
      .findOneBy({ id: taskId, campaignId, ...scope });
    if (!task) throw new NotFoundError('Task', taskId);
    return task;
  }
}
