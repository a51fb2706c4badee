import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { CampaignsRpc, CreateTaskDto, UpdateTaskDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { TasksService } from './tasks.service';

@RpcController()
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @MessagePattern(CampaignsRpc.listTasks)
  list(@Payload() req: RpcRequest<{ campaignId: string }>) {
    return this.tasks.list(scopeOf(req.ctx), req.data.campaignId);
  }

  @MessagePattern(CampaignsRpc.createTask)
  create(@Payload() req: RpcRequest<{ campaignId: string; task: CreateTaskDto }>) {
    return this.tasks.create(scopeOf(req.ctx), req.data.campaignId, req.data.task);
  }

  @MessagePattern(CampaignsRpc.updateTask)
  update(
    @Payload() req: RpcRequest<{ campaignId: string; taskId: string; changes: UpdateTaskDto }>,
  ) {
    return this.tasks.update(
      scopeOf(req.ctx),
      req.data.campaignId,
      req.data.taskId,
      req.data.changes,
    );
  }

  @MessagePattern(CampaignsRpc.removeTask)
  remove(@Payload() req: RpcRequest<{ campaignId: string; taskId: string }>) {
    return this.tasks.remove(scopeOf(req.ctx), req.data.campaignId, req.data.taskId);
  }
}
