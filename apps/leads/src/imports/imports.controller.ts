import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { CreateImportInput, LeadsApiRpc } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ImportsService } from './imports.service';

type Page = { page?: number; limit?: number };

@RpcController()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @MessagePattern(LeadsApiRpc.createImport)
  create(@Payload() req: RpcRequest<CreateImportInput>) {
    return this.imports.create(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(LeadsApiRpc.getImport)
  get(@Payload() req: RpcRequest<{ id: string }>) {
    return this.imports.get(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(LeadsApiRpc.listImports)
  list(@Payload() req: RpcRequest<Page>) {
    return this.imports.list(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(LeadsApiRpc.importIssues)
  issues(@Payload() req: RpcRequest<{ id: string } & Page>) {
    const { id, ...page } = req.data;
    return this.imports.issues(scopeOf(req.ctx), id, page);
  }

  @MessagePattern(LeadsApiRpc.importIssuesCsv)
  issuesCsv(@Payload() req: RpcRequest<{ id: string; after?: string }>) {
    const after = req.data.after === undefined ? undefined : Number(req.data.after);
    return this.imports.issuesCsv(scopeOf(req.ctx), req.data.id, after);
  }
}
