import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { CreateSegmentDto, LeadsApiRpc, UpdateSegmentDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SegmentsService } from './segments.service';

@RpcController()
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @MessagePattern(LeadsApiRpc.listSegments)
  list(@Payload() req: RpcRequest<{ page?: number; limit?: number }>) {
    return this.segments.list(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(LeadsApiRpc.createSegment)
  create(@Payload() req: RpcRequest<CreateSegmentDto>) {
    return this.segments.create(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(LeadsApiRpc.getSegment)
  get(@Payload() req: RpcRequest<{ id: string }>) {
    return this.segments.find(scopeOf(req.ctx), req.data.id).then((s) => this.segments.view(s));
  }

  @MessagePattern(LeadsApiRpc.updateSegment)
  update(@Payload() req: RpcRequest<{ id: string; changes: UpdateSegmentDto }>) {
    return this.segments.update(scopeOf(req.ctx), req.data.id, req.data.changes);
  }

  @MessagePattern(LeadsApiRpc.removeSegment)
  remove(@Payload() req: RpcRequest<{ id: string }>) {
    return this.segments.remove(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(LeadsApiRpc.countSegment)
  count(@Payload() req: RpcRequest<{ id: string }>) {
    return this.segments.count(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(LeadsApiRpc.sampleSegment)
  sample(@Payload() req: RpcRequest<{ id: string; limit?: number }>) {
    return this.segments.sample(scopeOf(req.ctx), req.data.id, req.data.limit);
  }

  @MessagePattern(LeadsApiRpc.addMembers)
  addMembers(@Payload() req: RpcRequest<{ id: string; leadIds: string[] }>) {
    return this.segments.addMembers(scopeOf(req.ctx), req.data.id, req.data.leadIds);
  }

  @MessagePattern(LeadsApiRpc.removeMember)
  removeMember(@Payload() req: RpcRequest<{ id: string; leadId: string }>) {
    return this.segments.removeMember(scopeOf(req.ctx), req.data.id, req.data.leadId);
  }

  @MessagePattern(LeadsApiRpc.segmentFields)
  fields() {
    return this.segments.fields();
  }
}
