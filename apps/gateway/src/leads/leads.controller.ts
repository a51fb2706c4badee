import { Paged, RequestContext } from '@app/common';
import {
  CaptureLeadDto,
  CaptureResult,
  LeadFiltersQuery,
  LeadsApiRpc,
  LeadView,
  ListLeadsQuery,
  StatusChangeView,
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
  ParseBoolPipe,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
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
import {
  CAPTURE_EXAMPLE,
  HISTORY_EXAMPLE,
  LEAD_EXAMPLE,
  EXPORT_CSV_EXAMPLE,
} from './leads-examples';

@ApiTags('leads')
@ApiBearerAuth()
@Controller('api/v1/leads')
export class LeadsController {
  constructor(
    @Inject(LEADS) private readonly leads: ServiceClient,
    private readonly guard: CampaignGuard,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Capture a lead; a known email (normalised) is merged and says so' })
  @ApiEnvelope(CAPTURE_EXAMPLE, 201)
  async capture(@Ctx() ctx: RequestContext, @Body() dto: CaptureLeadDto) {
    // Attribution to a campaign of another workspace is refused like a missing campaign.
    if (dto.campaignId) await this.guard.assertExists(ctx, dto.campaignId);
    return this.leads.call<CaptureResult>(LeadsApiRpc.capture, dto, ctx);
  }

  @Get()
  @ApiOperation({ summary: 'List leads: filters, search (name, email, company), sort, pages' })
  @ApiEnvelope([LEAD_EXAMPLE], 200, PAGINATION_EXAMPLE)
  async list(@Ctx() ctx: RequestContext, @Query() q: ListLeadsQuery) {
    return paged(await this.leads.call<Paged<LeadView>>(LeadsApiRpc.list, q, ctx));
  }

  @Get('export')
  @ApiCsv(
    EXPORT_CSV_EXAMPLE,
    'Streamed CSV, one row per lead; formula-like cells start with an apostrophe',
  )
  @ApiOperation({ summary: 'Stream the filtered leads as CSV (formula-like cells neutralised)' })
  async export(
    @Ctx() ctx: RequestContext,
    @Query() filters: LeadFiltersQuery,
    @Res() res: Response,
  ) {
    await proxyExport(res, 'leads.csv', this.leads, ctx, filters);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a lead' })
  @ApiEnvelope(LEAD_EXAMPLE)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.leads.call<LeadView>(LeadsApiRpc.get, { id }, ctx);
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Update contact data and the pipeline (status moves checked; 409 names the legal ones)',
  })
  @ApiEnvelope({ ...LEAD_EXAMPLE, status: 'qualified', salesStage: 'discovery_call_scheduled' })
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateLeadDto,
  ) {
    return this.leads.call<LeadView>(LeadsApiRpc.update, { id, changes: dto }, ctx);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Same as PATCH, for clients written that way' })
  @ApiEnvelope({ ...LEAD_EXAMPLE, status: 'qualified' })
  replace(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateLeadDto,
  ) {
    return this.update(ctx, id, dto);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiQuery({
    name: 'erase',
    required: false,
    type: Boolean,
    description: 'GDPR erasure instead of a delete',
  })
  @ApiOperation({
    summary: 'Delete a lead; with ?erase=true erase it (only a hashed suppression stays)',
  })
  @ApiEnvelope({ ...DELETED_EXAMPLE, message: 'Lead deleted' })
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Query('erase', new ParseBoolPipe({ optional: true })) erase?: boolean,
  ) {
    return this.leads.call(erase ? LeadsApiRpc.erase : LeadsApiRpc.remove, { id }, ctx);
  }

  @Post(':id/erase')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase a lead’s personal data; the address stays suppressed by its hash',
  })
  @ApiEnvelope({
    ...DELETED_EXAMPLE,
    message: 'Lead erased; the address stays suppressed by its hash',
  })
  erase(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.leads.call(LeadsApiRpc.erase, { id }, ctx);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Status changes of the lead, oldest first' })
  @ApiEnvelope(HISTORY_EXAMPLE)
  history(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.leads.call<StatusChangeView[]>(LeadsApiRpc.history, { id }, ctx);
  }
}
