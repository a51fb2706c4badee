import { RpcController, RpcRequest, scopeOf } from '@app/common';
import {
  CampaignsRpc,
  CloneCampaignDto,
  CreateCampaignDto,
  ListCampaignsQuery,
  UpdateCampaignDto,
} from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CampaignsService, TransitionInput } from './campaigns.service';

type WithId<T = unknown> = { id: string } & T;

@RpcController()
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @MessagePattern(CampaignsRpc.create)
  create(@Payload() req: RpcRequest<CreateCampaignDto>) {
    return this.campaigns.create(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(CampaignsRpc.list)
  list(@Payload() req: RpcRequest<ListCampaignsQuery>) {
    return this.campaigns.list(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(CampaignsRpc.get)
  get(@Payload() req: RpcRequest<{ id: string }>) {
    return this.campaigns.get(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(CampaignsRpc.update)
  update(@Payload() req: RpcRequest<WithId<{ changes: UpdateCampaignDto & { status?: string } }>>) {
    return this.campaigns.update(scopeOf(req.ctx), req.data.id, req.data.changes);
  }

  @MessagePattern(CampaignsRpc.remove)
  remove(@Payload() req: RpcRequest<{ id: string }>) {
    return this.campaigns.remove(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(CampaignsRpc.transition)
  transition(@Payload() req: RpcRequest<WithId<TransitionInput>>) {
    const { id, ...input } = req.data;
    return this.campaigns.transition(scopeOf(req.ctx), id, input);
  }

  @MessagePattern(CampaignsRpc.clone)
  clone(@Payload() req: RpcRequest<WithId<CloneCampaignDto>>) {
    const { id, ...dto } = req.data;
    return this.campaigns.clone(scopeOf(req.ctx), id, dto);
  }
}
