import { RpcController, RpcRequest, scopeOf } from '@app/common';
import {
  CreateTemplateDto,
  ListTemplatesQuery,
  PreviewTemplateDto,
  TemplatesRpc,
  UpdateTemplateDto,
} from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { TemplatesService } from './templates.service';

@RpcController()
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @MessagePattern(TemplatesRpc.create)
  create(@Payload() req: RpcRequest<CreateTemplateDto>) {
    return this.templates.create(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(TemplatesRpc.list)
  list(@Payload() req: RpcRequest<ListTemplatesQuery>) {
    return this.templates.list(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(TemplatesRpc.get)
  get(@Payload() req: RpcRequest<{ id: string }>) {
    return this.templates.get(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(TemplatesRpc.update)
  update(@Payload() req: RpcRequest<{ id: string; changes: UpdateTemplateDto }>) {
    return this.templates.update(scopeOf(req.ctx), req.data.id, req.data.changes);
  }

  @MessagePattern(TemplatesRpc.remove)
  remove(@Payload() req: RpcRequest<{ id: string }>) {
    return this.templates.remove(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(TemplatesRpc.versions)
  versions(@Payload() req: RpcRequest<{ id: string }>) {
    return this.templates.versions(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(TemplatesRpc.version)
  version(@Payload() req: RpcRequest<{ id: string; version: number }>) {
    return this.templates.version(scopeOf(req.ctx), req.data.id, req.data.version);
  }

  @MessagePattern(TemplatesRpc.preview)
  preview(@Payload() req: RpcRequest<{ id: string; preview: PreviewTemplateDto }>) {
    return this.templates.preview(scopeOf(req.ctx), req.data.id, req.data.preview);
  }
}
