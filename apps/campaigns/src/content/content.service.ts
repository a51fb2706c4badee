import { NotFoundError, Scope } from '@app/common';
import { ContentView, CreateContentDto, UpdateContentDto, UploadedMedia } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CampaignLookup } from '../campaigns/campaign-lookup';
import { ContentItemEntity } from './content-item.entity';
import { MediaStorage } from './media-storage';
import { detectMediaType } from './media-type';

export const MEDIA_MAX_BYTES = Symbol('MEDIA_MAX_BYTES');

const toContentView = (c: ContentItemEntity): ContentView => ({
  id: c.id,
  campaignId: c.campaignId,
  title: c.title,
  contentType: c.contentType,
  platform: c.platform,
  scheduledDate: c.scheduledDate?.toISOString() ?? null,
  status: c.status,
  body: c.body,
  assignee: c.assignee,
  media: c.mediaKey
    ? {
        fileName: c.mediaName ?? 'media',
        mimeType: c.mediaType ?? 'application/octet-stream',
        size: c.mediaSize ?? 0,
        url: `/api/v1/campaigns/${c.campaignId}/content/${c.id}/media`,
      }
    : null,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

/** The content calendar of a campaign, with one optional media file per item. */
@Injectable()
export class ContentService {
  constructor(
    private readonly ds: DataSource,
    private readonly lookup: CampaignLookup,
    private readonly storage: MediaStorage,
    @Inject(MEDIA_MAX_BYTES) private readonly maxBytes: number,
  ) {}

  async list(scope: Scope, campaignId: string): Promise<ContentView[]> {
    await this.lookup.find(scope, campaignId);
    const rows = await this.ds
      .getRepository(ContentItemEntity)
      .createQueryBuilder('c')
      .where('c.campaign_id = :campaignId', { campaignId })
      .orderBy('c.scheduled_date', 'ASC', 'NULLS LAST')
      .addOrderBy('c.created_at', 'ASC')
      .getMany();
    return rows.map(toContentView);
  }

  async create(
    scope: Scope,
    campaignId: string,
    dto: CreateContentDto,
    media?: UploadedMedia,
  ): Promise<ContentView> {
    await this.lookup.find(scope, campaignId);
    const stored = media ? await this.storeMedia(scope, media) : undefined;
    const repo = this.ds.getRepository(ContentItemEntity);
    const saved = await repo.save(
      repo.create({
        ...scope,
        campaignId,
        title: dto.title,
        contentType: dto.contentType ?? null,
        platform: dto.platform ?? null,
        scheduledDate: dto.scheduledDate ? new Date(dto.scheduledDate) : null,
        status: dto.status ?? 'draft',
        body: dto.body ?? null,
        assignee: dto.assignee ?? null,
        ...(stored ?? {}),
      }),
    );
    return toContentView(saved);
  }

  async update(
    scope: Scope,
    campaignId: string,
    contentId: string,
    dto: UpdateContentDto,
    media?: UploadedMedia,
  ): Promise<ContentView> {
    const item = await this.find(scope, campaignId, contentId);
    const { scheduledDate, ...rest } = dto;
    const patch: Partial<ContentItemEntity> = { ...rest };
    if (scheduledDate !== undefined)
      patch.scheduledDate = scheduledDate ? new Date(scheduledDate) : null;
    if (media) Object.assign(patch, await this.storeMedia(scope, media));
    if (Object.keys(patch).length)
      await this.ds.getRepository(ContentItemEntity).update({ id: item.id }, patch);
    if (media && item.mediaKey) await this.storage.delete(item.mediaKey);
    return toContentView(await this.find(scope, campaignId, contentId));
  }

  async remove(
    scope: Scope,
    campaignId: string,
    contentId: string,
  ): Promise<{ id: string; message: string }> {
    const item = await this.find(scope, campaignId, contentId);
    await this.ds.getRepository(ContentItemEntity).delete({ id: item.id });
    if (item.mediaKey) await this.storage.delete(item.mediaKey);
    return { id: contentId, message: 'Content deleted successfully' };
  }

  async media(
    scope: Scope,
    campaignId: string,
    contentId: string,
  ): Promise<{ mimeType: string; fileName: string; base64: string }> {
    const item = await this.find(scope, campaignId, contentId);
    if (!item.mediaKey) throw new NotFoundError('Media', contentId);
    const data = await this.storage.get(item.mediaKey);
    return {
      mimeType: item.mediaType ?? 'application/octet-stream',
      fileName: item.mediaName ?? 'media',
      base64: data.toString('base64'),
    };
  }

  private async storeMedia(
    scope: Scope,
    media: UploadedMedia,
  ): Promise<Partial<ContentItemEntity>> {
    const data = Buffer.from(media.base64, 'base64');
    const mimeType = await detectMediaType(data, this.maxBytes);
    const key = `${scope.tenantId}/${scope.workspaceId}/${randomUUID()}`;
    await this.storage.put(key, data);
    return {
      mediaKey: key,
      mediaName: media.originalName.replace(/[^\w.\- ]/g, '_').slice(0, 200),
      mediaType: mimeType,
      mediaSize: data.length,
    };
  }

  private async find(
    scope: Scope,
    campaignId: string,
    contentId: string,
  ): Promise<ContentItemEntity> {
    await this.lookup.find(scope, campaignId);
    const item = await this.ds
      .getRepository(ContentItemEntity)
      .findOneBy({ id: contentId, campaignId, ...scope });
    if (!item) throw new NotFoundError('Content', contentId);
    return item;
  }
}
