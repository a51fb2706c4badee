import { Paged, RequestContext } from '@app/common';
import {
  CaptureLeadDto,
  CaptureResult,
  ImportJobView,
  ImportLeadsDto,
  LeadFiltersQuery,
  LeadsApiRpc,
  LeadView,
  ListLeadsQuery,
  UpdateLeadDto,
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
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Ctx } from '../auth/auth.decorators';
import { paged } from '../core/envelope';
import { LEADS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';
import { DELETED_EXAMPLE, PAGINATION_EXAMPLE } from '../docs/examples';
import { CampaignGuard } from './campaign-guard';
import { ApiCsv } from './csv-docs';
import { proxyExport } from './export-proxy';
import { discardUpload, importInput } from './import-upload';
import {
  CAPTURE_EXAMPLE,
  IMPORT_EXAMPLE,
  LEAD_EXAMPLE,
  EXPORT_CSV_EXAMPLE,
} from './leads-examples';

/**
 * Leads of one campaign (the seeds' /campaigns/:id/leads routes). Each route first checks
 * the campaign exists in the caller's workspace, then acts on leads attributed to it.
 */
@ApiTags('campaign leads')
@ApiBearerAuth()
@Controller('api/v1/campaigns/:id/leads')
export class CampaignLeadsController {
  constructor(
    @Inject(LEADS) private readonly leads: ServiceClient,
    private readonly guard: CampaignGuard,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Leads of the campaign (status, search and the other list filters)' })
  @ApiEnvelope([LEAD_EXAMPLE], 200, PAGINATION_EXAMPLE)
  async list(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Query() q: ListLeadsQuery,
  ) {
    await this.guard.assertExists(ctx, campaignId);
    return paged(
      await this.leads.call<Paged<LeadView>>(LeadsApiRpc.list, { ...q, campaignId }, ctx),
    );
  }

  @Post()
  @ApiOperation({ summary: 'Capture a lead for this campaign (merged when the email is known)' })
  @ApiEnvelope(CAPTURE_EXAMPLE, 201)
  async capture(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Body() dto: CaptureLeadDto,
  ) {
    await this.guard.assertExists(ctx, campaignId);
    return this.leads.call<CaptureResult>(LeadsApiRpc.capture, { ...dto, campaignId }, ctx);
  }

  @Post('import')
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary: 'Import a CSV into this campaign (async job; poll /api/v1/leads/imports/:jobId)',
  })
  @ApiEnvelope({ ...IMPORT_EXAMPLE, status: 'queued' }, 202)
  async import(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Body() dto: ImportLeadsDto,
    @UploadedFile() file?: Express.Multer.File,
  ) {
    try {
      await this.guard.assertExists(ctx, campaignId);
      return await this.leads.call<ImportJobView>(
        LeadsApiRpc.createImport,
        importInput(file, dto, campaignId),
        ctx,
      );
    } catch (err) {
      discardUpload(file);
      throw err;
    }
  }

  @Get('export')
  @ApiCsv(EXPORT_CSV_EXAMPLE, 'Streamed CSV of the campaign’s leads')
  @ApiOperation({ summary: 'Stream the campaign’s leads as CSV (status and search filters)' })
  async export(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Query() q: LeadFiltersQuery,
    @Res() res: Response,
  ): Promise<void> {
    await this.guard.assertExists(ctx, campaignId);
    await proxyExport(res, `campaign-${campaignId}-leads.csv`, this.leads, ctx, {
      ...q,
      campaignId,
    });
  }

  @Get(':leadId')
  @ApiOperation({ summary: 'One lead of the campaign' })
  @ApiEnvelope(LEAD_EXAMPLE)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('leadId', UuidPipe) id: string,
  ) {
    await this.guard.assertExists(ctx, campaignId);
    return this.leads.call<LeadView>(LeadsApiRpc.get, { id, campaignId }, ctx);
  }

  @Patch(':leadId')
  @ApiOperation({ summary: 'Update a lead of the campaign (status moves checked)' })
  @ApiEnvelope({ ...LEAD_EXAMPLE, status: 'contacted', notes: 'Follow up scheduled' })
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('leadId', UuidPipe) id: string,
    @Body() dto: UpdateLeadDto,
  ) {
    await this.guard.assertExists(ctx, campaignId);
    return this.leads.call<LeadView>(LeadsApiRpc.update, { id, campaignId, changes: dto }, ctx);
  }

  @Put(':leadId')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiEnvelope({ ...LEAD_EXAMPLE, status: 'contacted', notes: 'Follow up scheduled' })
  replace(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('leadId', UuidPipe) id: string,
    @Body() dto: UpdateLeadDto,
  ) {
    return this.update(ctx, campaignId, id, dto);
  }

  @Delete(':leadId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a lead of the campaign' })
  @ApiEnvelope({ ...DELETED_EXAMPLE, message: 'Lead deleted' })
  async remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('leadId', UuidPipe) id: string,
  ) {
    await this.guard.assertExists(ctx, campaignId);
    return this.leads.call(LeadsApiRpc.remove, { id, campaignId }, ctx);
  }
}
