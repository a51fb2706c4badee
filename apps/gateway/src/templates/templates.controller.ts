import { Paged, RequestContext } from '@app/common';
import {
  CreateTemplateDto,
  LeadsApiRpc,
  SegmentFieldCoverage,
  TemplateCheckQuery,
  ListTemplatesQuery,
  PreviewTemplateDto,
  TemplatePreview,
  TemplatesRpc,
  TemplateVersionView,
  TemplateView,
  UpdateTemplateDto,
} from '@app/contracts';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { paged } from '../core/envelope';
import { referenced } from '../core/references';
import { CAMPAIGNS, LEADS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';
import { DELETED_EXAMPLE, PAGINATION_EXAMPLE } from '../docs/examples';

const TEMPLATE_EXAMPLE = {
  id: '9b2d7c1e-4f5a-4c3b-8d2e-1a0b9c8d7e6f',
  name: 'Welcome email',
  channel: 'email',
  description: 'Sent to new sign-ups',
  tags: ['onboarding'],
  version: 2,
  subject: 'Welcome, {{firstName|friend}}',
  bodyHtml: '<h1>Hi {{firstName|friend}}</h1><p>Thanks for joining {{company}}.</p>',
  bodyText: 'HI FRIEND\n\nThanks for joining.',
  textGenerated: true,
  variables: [{ name: 'firstName', fallback: 'friend' }],
  warnings: [
    {
      code: 'NO_FALLBACK',
      variable: 'company',
      message: '{{company}} has no fallback: leads without it get an empty value',
    },
  ],
  createdAt: '2025-01-15T09:00:00.000Z',
  updatedAt: '2025-01-16T09:00:00.000Z',
};

@ApiTags('templates')
@ApiBearerAuth()
@Controller('api/v1/templates')
export class TemplatesController {
  constructor(
    @Inject(CAMPAIGNS) private readonly campaigns: ServiceClient,
    @Inject(LEADS) private readonly leads: ServiceClient,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Create a template (version 1); placeholders and HTML are checked, warnings returned (with ?segmentId=, counted over that segment)',
  })
  @ApiEnvelope({ ...TEMPLATE_EXAMPLE, version: 1 }, 201)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() dto: CreateTemplateDto,
    @Query() check: TemplateCheckQuery,
  ) {
    await this.coverage(ctx, check.segmentId, []);
    const view = await this.campaigns.call<TemplateView>(TemplatesRpc.create, dto, ctx);
    return this.withSegmentCounts(ctx, view, check.segmentId);
  }

  @Get()
  @ApiOperation({ summary: 'List templates: search, tag, channel, sort, pagination' })
  @ApiEnvelope([TEMPLATE_EXAMPLE], 200, PAGINATION_EXAMPLE)
  async list(@Ctx() ctx: RequestContext, @Query() query: ListTemplatesQuery) {
    return paged(await this.campaigns.call<Paged<TemplateView>>(TemplatesRpc.list, query, ctx));
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'A template at its current version, with its warnings (with ?segmentId=, counted over that segment)',
  })
  @ApiEnvelope(TEMPLATE_EXAMPLE)
  async get(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Query() check: TemplateCheckQuery,
  ) {
    await this.coverage(ctx, check.segmentId, []);
    const view = await this.campaigns.call<TemplateView>(TemplatesRpc.get, { id }, ctx);
    return this.withSegmentCounts(ctx, view, check.segmentId);
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Edit; a content change creates a new version (campaigns keep the version they launched with)',
  })
  @ApiEnvelope({ ...TEMPLATE_EXAMPLE, versionCreated: true })
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() changes: UpdateTemplateDto,
    @Query() check: TemplateCheckQuery,
  ) {
    await this.coverage(ctx, check.segmentId, []);
    const view = await this.campaigns.call<TemplateView>(TemplatesRpc.update, { id, changes }, ctx);
    return this.withSegmentCounts(ctx, view, check.segmentId);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiEnvelope({ ...TEMPLATE_EXAMPLE, versionCreated: true })
  replace(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() changes: UpdateTemplateDto,
    @Query() check: TemplateCheckQuery,
  ) {
    return this.update(ctx, id, changes, check);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete; 409 naming the campaigns when a step still uses it' })
  @ApiEnvelope({ ...DELETED_EXAMPLE, message: 'Template deleted successfully' })
  remove(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.campaigns.call(TemplatesRpc.remove, { id }, ctx);
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'Every version, newest first' })
  @ApiEnvelope([
    {
      version: 2,
      subject: TEMPLATE_EXAMPLE.subject,
      bodyHtml: TEMPLATE_EXAMPLE.bodyHtml,
      bodyText: TEMPLATE_EXAMPLE.bodyText,
      textGenerated: true,
      variables: [],
      createdAt: TEMPLATE_EXAMPLE.updatedAt,
    },
  ])
  versions(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.campaigns.call<TemplateVersionView[]>(TemplatesRpc.versions, { id }, ctx);
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'One version' })
  @ApiEnvelope({
    version: 1,
    subject: 'Welcome',
    bodyHtml: '<p>Hi</p>',
    bodyText: 'Hi',
    textGenerated: true,
    variables: [],
    createdAt: TEMPLATE_EXAMPLE.createdAt,
  })
  version(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
  ) {
    return this.campaigns.call<TemplateVersionView>(TemplatesRpc.version, { id, version }, ctx);
  }

  @Post(':id/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Render with sample data: personalisation, fallbacks and escaping as sent',
  })
  @ApiEnvelope({
    templateId: TEMPLATE_EXAMPLE.id,
    version: 2,
    subject: 'Welcome, Ada',
    html: '<h1>Hi Ada</h1><p>Thanks for joining Analytical Engines.</p>',
    text: 'HI ADA\n\nThanks for joining.',
  })
  preview(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() preview: PreviewTemplateDto,
  ) {
    return this.campaigns.call<TemplatePreview>(TemplatesRpc.preview, { id, preview }, ctx);
  }

  /**
   * Counts, over the segment, the leads lacking each variable that has no fallback. Called
   * with no fields before a save, it only proves the segment exists, so a wrong segmentId is a
   * 400 that changes nothing.
   */
  private async coverage(
    ctx: RequestContext,
    segmentId: string | undefined,
    fields: string[],
  ): Promise<SegmentFieldCoverage | null> {
    if (!segmentId) return null;
    return referenced(
      this.leads.call<SegmentFieldCoverage>(
        LeadsApiRpc.segmentFieldCoverage,
        { id: segmentId, fields },
        ctx,
      ),
      'segmentId',
      `segment ${segmentId}`,
    );
  }

  private async withSegmentCounts(
    ctx: RequestContext,
    view: TemplateView,
    segmentId: string | undefined,
  ): Promise<TemplateView> {
    const noFallback = view.warnings.filter((w) => w.code === 'NO_FALLBACK');
    const found = await this.coverage(
      ctx,
      segmentId,
      noFallback.map((w) => w.variable),
    );
    if (!found) return view;
    const warnings = view.warnings.map((w) => {
      const missing = w.code === 'NO_FALLBACK' ? found.missing[w.variable] : undefined;
      if (missing === undefined) return w;
      return {
        ...w,
        message: `{{${w.variable}}} has no fallback: ${missing} of ${found.total} leads in segment "${found.segmentName}" lack it and would get an empty value`,
        segment: { id: found.segmentId, name: found.segmentName, total: found.total, missing },
      };
    });
    return { ...view, warnings };
  }
}
