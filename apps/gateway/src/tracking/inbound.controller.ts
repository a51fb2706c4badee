import { RequestContext } from '@app/common';
import { ExecutorRpc, INBOUND_EVENT_TYPES, InboundEvent } from '@app/contracts';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Ctx } from '../auth/auth.decorators';
import { EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { ApiEnvelope } from '../docs/api-envelope';

class InboundEventDto {
  @IsIn([...INBOUND_EVENT_TYPES])
  type: InboundEvent['type'];

  @IsUUID()
  deliveryId: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @IsOptional()
  @IsBoolean()
  permanent?: boolean;
}

class InboundBatchDto {
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => InboundEventDto)
  events: InboundEventDto[];
}

/**
 * Provider notifications (delivery receipts, bounces, complaints, replies), authenticated by
 * the workspace key.
 */
@ApiTags('tracking')
@ApiBearerAuth()
@Controller('api/v1/inbound')
export class InboundController {
  constructor(@Inject(EXECUTOR) private readonly executor: ServiceClient) {}

  @Post('events')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Report delivery receipts, bounces, complaints and replies for sent emails',
  })
  @ApiEnvelope({
    results: [{ deliveryId: '0b6f7e0c-2a51-4a7e-9d0b-3c1f2e4d5a6b', type: 'reply', applied: true }],
  })
  events(@Ctx() ctx: RequestContext, @Body() dto: InboundBatchDto) {
    return this.executor.call(ExecutorRpc.inbound, dto, ctx);
  }
}
