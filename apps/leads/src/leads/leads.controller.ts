import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { CaptureLeadDto, LeadsApiRpc, ListLeadsQuery, UpdateLeadDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ErasureService } from './erasure.service';
import { LeadCaptureService } from './lead-capture.service';
import { LeadsService } from './leads.service';

/** `campaignId`, when present, comes from a /campaigns/:id/leads route: the lead must belong to it. */
type ById<T = unknown> = { id: string; campaignId?: string } & T;

@RpcController()
export class LeadsController {
  constructor(
    private readonly leads: LeadsService,
    private readonly capturer: LeadCaptureService,
    private readonly erasure: ErasureService,
  ) {}

  @MessagePattern(LeadsApiRpc.capture)
  capture(@Payload() req: RpcRequest<CaptureLeadDto>) {
    return this.capturer.capture(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(LeadsApiRpc.list)
  list(@Payload() req: RpcRequest<ListLeadsQuery>) {
    return this.leads.list(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(LeadsApiRpc.get)
  get(@Payload() req: RpcRequest<ById>) {
    return this.leads.get(scopeOf(req.ctx), req.data.id, req.data.campaignId);
  }

  @MessagePattern(LeadsApiRpc.update)
  update(@Payload() req: RpcRequest<ById<{ changes: UpdateLeadDto }>>) {
    const { id, campaignId, changes } = req.data;
    return this.leads.update(scopeOf(req.ctx), id, changes, campaignId);
  }

  @MessagePattern(LeadsApiRpc.remove)
  remove(@Payload() req: RpcRequest<ById>) {
    return this.leads.remove(scopeOf(req.ctx), req.data.id, req.data.campaignId);
  }

  @MessagePattern(LeadsApiRpc.erase)
  erase(@Payload() req: RpcRequest<ById>) {
    return this.erasure.erase(scopeOf(req.ctx), req.data.id, req.data.campaignId);
  }

  @MessagePattern(LeadsApiRpc.history)
  history(@Payload() req: RpcRequest<ById>) {
    return this.leads.history(scopeOf(req.ctx), req.data.id, req.data.campaignId);
  }
}
