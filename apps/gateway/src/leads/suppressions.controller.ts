import { Paged, RequestContext } from '@app/common';
import {
  AddSuppressionDto,
  LeadsApiRpc,
  ListSuppressionsQuery,
  SuppressionView,
} from '@app/contracts';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { paged } from '../core/envelope';
import { LEADS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { ApiEnvelope } from '../docs/api-envelope';
import { PAGINATION_EXAMPLE } from '../docs/examples';
import { SUPPRESSION_EXAMPLE } from './leads-examples';

@ApiTags('suppressions')
@ApiBearerAuth()
@Controller('api/v1/suppressions')
export class SuppressionsController {
  constructor(@Inject(LEADS) private readonly leads: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'The workspace’s do-not-mail list, newest first' })
  @ApiEnvelope([SUPPRESSION_EXAMPLE], 200, PAGINATION_EXAMPLE)
  async list(@Ctx() ctx: RequestContext, @Query() q: ListSuppressionsQuery) {
    return paged(
      await this.leads.call<Paged<SuppressionView>>(LeadsApiRpc.listSuppressions, q, ctx),
    );
  }

  @Post()
  @ApiOperation({ summary: 'Suppress an address (unsubscribed, bounced, complained, manual)' })
  @ApiEnvelope({ ...SUPPRESSION_EXAMPLE, reason: 'manual' }, 201)
  add(@Ctx() ctx: RequestContext, @Body() dto: AddSuppressionDto) {
    return this.leads.call<SuppressionView>(LeadsApiRpc.addSuppression, dto, ctx);
  }

  @Delete(':email')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift a suppression (erased addresses stay suppressed: 409)' })
  @ApiEnvelope({ email: 'jane@example.com', message: 'Suppression removed' })
  remove(@Ctx() ctx: RequestContext, @Param('email') email: string) {
    return this.leads.call(LeadsApiRpc.removeSuppression, { email }, ctx);
  }
}
