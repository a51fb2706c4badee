import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { LeadFiltersQuery, LeadsApiRpc } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ExportService } from './export.service';

@RpcController()
export class ExportController {
  constructor(private readonly exporter: ExportService) {}

  @MessagePattern(LeadsApiRpc.exportHeader)
  header() {
    return { csv: this.exporter.header() };
  }

  @MessagePattern(LeadsApiRpc.exportPage)
  page(@Payload() req: RpcRequest<{ filters: LeadFiltersQuery; after?: string }>) {
    return this.exporter.page(scopeOf(req.ctx), req.data.filters ?? {}, req.data.after);
  }
}
