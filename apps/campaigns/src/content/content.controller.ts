import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { CampaignsRpc, CreateContentDto, UpdateContentDto, UploadedMedia } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ContentService } from './content.service';

type Ids = { campaignId: string; contentId: string };

@RpcController()
export class ContentController {
  constructor(private readonly content: ContentService) {}

  @MessagePattern(CampaignsRpc.listContent)
  list(@Payload() req: RpcRequest<{ campaignId: string }>) {
    return this.content.list(scopeOf(req.ctx), req.data.campaignId);
  }

  @MessagePattern(CampaignsRpc.createContent)
  create(
    @Payload()
    req: RpcRequest<{ campaignId: string; item: CreateContentDto; media?: UploadedMedia }>,
  ) {
    return this.content.create(
      scopeOf(req.ctx),
      req.data.campaignId,
      req.data.item,
      req.data.media,
    );
  }

  @MessagePattern(CampaignsRpc.updateContent)
  update(@Payload() req: RpcRequest<Ids & { changes: UpdateContentDto; media?: UploadedMedia }>) {
    const { campaignId, contentId, changes, media } = req.data;
    return this.content.update(scopeOf(req.ctx), campaignId, contentId, changes, media);
  }

  @MessagePattern(CampaignsRpc.removeContent)
  remove(@Payload() req: RpcRequest<Ids>) {
    return this.content.remove(scopeOf(req.ctx), req.data.campaignId, req.data.contentId);
  }

  @MessagePattern(CampaignsRpc.getContentMedia)
  media(@Payload() req: RpcRequest<Ids>) {
    return this.content.media(scopeOf(req.ctx), req.data.campaignId, req.data.contentId);
  }
}
