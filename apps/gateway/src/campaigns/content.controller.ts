import { RequestContext } from '@app/common';
import {
  CampaignsRpc,
  ContentView,
  CreateContentDto,
  UpdateContentDto,
  UploadedMedia,
} from '@app/contracts';
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
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Ctx } from '../auth/auth.decorators';
import { CAMPAIGNS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';
import { CONTENT_EXAMPLE, DELETED_EXAMPLE } from '../docs/examples';

function toMedia(file?: Express.Multer.File): UploadedMedia | undefined {
  if (!file) return undefined;
  return {
    originalName: file.originalname,
    declaredType: file.mimetype,
    size: file.size,
    base64: file.buffer.toString('base64'),
  };
}

/** Content calendar items; multipart requests may carry one `media` file (size-limited, type checked by content). */
@ApiTags('content')
@ApiBearerAuth()
@Controller('api/v1/campaigns/:id/content')
export class ContentController {
  constructor(@Inject(CAMPAIGNS) private readonly campaigns: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'Content calendar of a campaign, by scheduled date' })
  @ApiEnvelope([CONTENT_EXAMPLE])
  list(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) campaignId: string) {
    return this.campaigns.call<ContentView[]>(CampaignsRpc.listContent, { campaignId }, ctx);
  }

  @Post()
  @UseInterceptors(FileInterceptor('media'))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiOperation({ summary: 'Create a content item, optionally with a media file (field `media`)' })
  @ApiEnvelope(CONTENT_EXAMPLE, 201)
  create(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Body() item: CreateContentDto,
    @UploadedFile() file?: Express.Multer.File,
  ) {
    return this.campaigns.call<ContentView>(
      CampaignsRpc.createContent,
      { campaignId, item, media: toMedia(file) },
      ctx,
    );
  }

  @Patch(':contentId')
  @UseInterceptors(FileInterceptor('media'))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiOperation({ summary: 'Update a content item; a new `media` file replaces the old one' })
  @ApiEnvelope({ ...CONTENT_EXAMPLE, status: 'published' })
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('contentId', UuidPipe) contentId: string,
    @Body() changes: UpdateContentDto,
    @UploadedFile() file?: Express.Multer.File,
  ) {
    return this.campaigns.call<ContentView>(
      CampaignsRpc.updateContent,
      { campaignId, contentId, changes, media: toMedia(file) },
      ctx,
    );
  }

  @Put(':contentId')
  @UseInterceptors(FileInterceptor('media'))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiEnvelope({ ...CONTENT_EXAMPLE, status: 'published' })
  replace(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('contentId', UuidPipe) contentId: string,
    @Body() changes: UpdateContentDto,
    @UploadedFile() file?: Express.Multer.File,
  ) {
    return this.update(ctx, campaignId, contentId, changes, file);
  }

  @Delete(':contentId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a content item and its media' })
  @ApiEnvelope(DELETED_EXAMPLE)
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('contentId', UuidPipe) contentId: string,
  ) {
    return this.campaigns.call(CampaignsRpc.removeContent, { campaignId, contentId }, ctx);
  }

  @Get(':contentId/media')
  @ApiProduces('image/png', 'image/jpeg', 'application/pdf', 'video/mp4')
  @ApiOperation({ summary: 'Download the item’s media (authenticated)' })
  async media(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('contentId', UuidPipe) contentId: string,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.campaigns.call<{ mimeType: string; fileName: string; base64: string }>(
      CampaignsRpc.getContentMedia,
      { campaignId, contentId },
      ctx,
    );
    res.setHeader('Content-Type', file.mimeType);
    res.setHeader('Content-Disposition', `inline; filename="${file.fileName.replace(/"/g, '')}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.send(Buffer.from(file.base64, 'base64'));
  }
}
