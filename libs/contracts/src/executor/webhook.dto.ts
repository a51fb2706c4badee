import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

/** Events a workspace can subscribe a webhook to (`*` = all of them). */
export const WEBHOOK_EVENTS = [
  '*',
  'campaign.created',
  'campaign.started',
  'campaign.paused',
  'campaign.resumed',
  'campaign.completed',
  'campaign.failed',
  'campaign.cancelled',
  'campaign.ab_winner_selected',
  'lead.captured',
  'lead.updated',
  'lead.suppressed',
  'message.queued',
  'message.sent',
  'message.delivered',
  'message.failed',
  'message.bounced',
  'message.uncertain',
  'engagement.opened',
  'engagement.clicked',
  'engagement.replied',
  'engagement.unsubscribed',
  'engagement.complained',
  'engagement.converted',
] as const;

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/campaigns' })
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  @MaxLength(2000)
  url: string;

  @ApiProperty({
    example: ['campaign.started', 'campaign.completed'],
    enum: WEBHOOK_EVENTS,
    isArray: true,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events: string[];

  @ApiPropertyOptional({ description: 'Signing secret; generated when omitted (shown once)' })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;

  @ApiPropertyOptional({ example: 'CRM sync' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({ example: 86400, description: 'Seconds the old secret keeps signing too' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86400)
  overlapSeconds?: number;
}

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  active: boolean;
  /** Only in the answers to create and rotate. */
  secret?: string;
  secretRotation: { previousExpiresAt: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}
