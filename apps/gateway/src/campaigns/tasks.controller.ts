import { RequestContext } from '@app/common';
import { CampaignsRpc, CreateTaskDto, TaskView, UpdateTaskDto } from '@app/contracts';
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
  Put,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { CAMPAIGNS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';
import { DELETED_EXAMPLE, TASK_EXAMPLE } from '../docs/examples';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api/v1/campaigns/:id/tasks')
export class TasksController {
  constructor(@Inject(CAMPAIGNS) private readonly campaigns: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'Tasks of a campaign' })
  @ApiEnvelope([TASK_EXAMPLE])
  list(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) campaignId: string) {
    return this.campaigns.call<TaskView[]>(CampaignsRpc.listTasks, { campaignId }, ctx);
  }

  @Post()
  @ApiOperation({ summary: 'Create a task' })
  @ApiEnvelope(TASK_EXAMPLE, 201)
  create(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Body() task: CreateTaskDto,
  ) {
    return this.campaigns.call<TaskView>(CampaignsRpc.createTask, { campaignId, task }, ctx);
  }

  @Patch(':taskId')
  @ApiOperation({ summary: 'Update a task' })
  @ApiEnvelope({ ...TASK_EXAMPLE, status: 'completed' })
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('taskId', UuidPipe) taskId: string,
    @Body() changes: UpdateTaskDto,
  ) {
    return this.campaigns.call<TaskView>(
      CampaignsRpc.updateTask,
      { campaignId, taskId, changes },
      ctx,
    );
  }

  @Put(':taskId')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiEnvelope({ ...TASK_EXAMPLE, status: 'completed' })
  replace(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('taskId', UuidPipe) taskId: string,
    @Body() changes: UpdateTaskDto,
  ) {
    return this.update(ctx, campaignId, taskId, changes);
  }

  @Delete(':taskId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a task' })
  @ApiEnvelope(DELETED_EXAMPLE)
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('taskId', UuidPipe) taskId: string,
  ) {
    return this.campaigns.call(CampaignsRpc.removeTask, { campaignId, taskId }, ctx);
  }
}
