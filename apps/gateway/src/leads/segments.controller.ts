import { Paged, RequestContext } from '@app/common';
import {
  CreateSegmentDto,
  LeadsApiRpc,
  LeadView,
  PageQuery,
  SegmentCount,
  SegmentMembersDto,
  SegmentSampleQuery,
  SegmentView,
  UpdateSegmentDto,
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
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { paged } from '../core/envelope';
import { LEADS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';
import { DELETED_EXAMPLE, PAGINATION_EXAMPLE } from '../docs/examples';
import {
  LEAD_EXAMPLE,
  SEGMENT_COUNT_EXAMPLE,
  SEGMENT_EXAMPLE,
  SEGMENT_FIELDS_EXAMPLE,
} from './leads-examples';

@ApiTags('segments')
@ApiBearerAuth()
@Controller('api/v1/segments')
export class SegmentsController {
  constructor(@Inject(LEADS) private readonly leads: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'Segments of the workspace' })
  @ApiEnvelope([SEGMENT_EXAMPLE], 200, PAGINATION_EXAMPLE)
  async list(@Ctx() ctx: RequestContext, @Query() q: PageQuery) {
    return paged(await this.leads.call<Paged<SegmentView>>(LeadsApiRpc.listSegments, q, ctx));
  }

  @Post()
  @ApiOperation({
    summary:
      'Create a dynamic (rule tree) or static (members) segment; rules are checked (400 names the problem)',
  })
  @ApiEnvelope(SEGMENT_EXAMPLE, 201)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateSegmentDto) {
    return this.leads.call<SegmentView>(LeadsApiRpc.createSegment, dto, ctx);
  }

  @Get('fields')
  @ApiOperation({ summary: 'Fields, operators and combinators a rule may use' })
  @ApiEnvelope(SEGMENT_FIELDS_EXAMPLE)
  fields(@Ctx() ctx: RequestContext) {
    return this.leads.call(LeadsApiRpc.segmentFields, {}, ctx);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a segment' })
  @ApiEnvelope(SEGMENT_EXAMPLE)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.leads.call<SegmentView>(LeadsApiRpc.getSegment, { id }, ctx);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, describe or change the rules of a segment' })
  @ApiEnvelope(SEGMENT_EXAMPLE)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateSegmentDto,
  ) {
    return this.leads.call<SegmentView>(LeadsApiRpc.updateSegment, { id, changes: dto }, ctx);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a segment (its leads stay)' })
  @ApiEnvelope({ ...DELETED_EXAMPLE, message: 'Segment deleted' })
  remove(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.leads.call(LeadsApiRpc.removeSegment, { id }, ctx);
  }

  @Get(':id/count')
  @ApiOperation({ summary: 'How many leads the segment holds now' })
  @ApiEnvelope(SEGMENT_COUNT_EXAMPLE)
  count(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.leads.call<SegmentCount>(LeadsApiRpc.countSegment, { id }, ctx);
  }

  @Get(':id/sample')
  @ApiOperation({ summary: 'Up to `limit` leads of the segment, newest first' })
  @ApiEnvelope([LEAD_EXAMPLE])
  sample(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Query() q: SegmentSampleQuery,
  ) {
    return this.leads.call<LeadView[]>(LeadsApiRpc.sampleSegment, { id, limit: q.limit }, ctx);
  }

  @Post(':id/members')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add leads to a static segment' })
  @ApiEnvelope({ ...SEGMENT_EXAMPLE, type: 'static', rules: null, memberCount: 3 })
  addMembers(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: SegmentMembersDto,
  ) {
    return this.leads.call<SegmentView>(LeadsApiRpc.addMembers, { id, leadIds: dto.leadIds }, ctx);
  }

  @Delete(':id/members/:leadId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a lead from a static segment' })
  @ApiEnvelope({ ...SEGMENT_EXAMPLE, type: 'static', rules: null, memberCount: 2 })
  removeMember(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Param('leadId', UuidPipe) leadId: string,
  ) {
    return this.leads.call<SegmentView>(LeadsApiRpc.removeMember, { id, leadId }, ctx);
  }
}
