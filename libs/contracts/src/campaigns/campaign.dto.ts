import { PagedQuery } from '../validation/paged-query';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsAmount } from '../validation/is-amount';
import {
  CAMPAIGN_GOALS,
  CAMPAIGN_STATUSES,
  CAMPAIGN_TYPES,
  CHANNELS,
  LAUNCH_PRIORITIES,
} from './campaign.enums';
import {
  CampaignContentDto,
  CampaignSettingsDto,
  ChannelAllocationDto,
  GoalsDto,
  IntegrationSettingsDto,
  KpiDto,
  ScheduleDto,
  StrategyDto,
  TargetAudienceDto,
} from './campaign-parts.dto';

export class CreateCampaignDto {
  @ApiProperty({ example: 'Q1 Product Launch Campaign' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({
    enum: ['draft'],
    description: 'A campaign is always created as a draft (accepted for the seeds’ clients)',
  })
  @IsOptional()
  @IsIn(['draft'], {
    message:
      'status must be draft: a campaign is created as a draft, then launched with POST /api/v1/campaigns/:id/launch',
  })
  status?: string;

  @ApiPropertyOptional({ example: 'Promotional campaign for the Q1 launch' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ enum: CAMPAIGN_TYPES, example: 'drip', default: 'broadcast' })
  @IsOptional()
  @IsIn(CAMPAIGN_TYPES)
  type?: string;

  @ApiPropertyOptional({ enum: CAMPAIGN_GOALS, example: 'lead_gen' })
  @IsOptional()
  @IsIn(CAMPAIGN_GOALS)
  goal?: string;

  @ApiPropertyOptional({ enum: CHANNELS, example: 'email', default: 'email' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: string;

  @ApiPropertyOptional({ type: TargetAudienceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TargetAudienceDto)
  targetAudience?: TargetAudienceDto;

  @ApiPropertyOptional({ example: 'news@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  fromEmail?: string;

  @ApiPropertyOptional({ example: 'Acme Marketing' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  fromName?: string;

  @ApiPropertyOptional({ example: 'support@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  replyTo?: string;

  @ApiPropertyOptional({ type: CampaignContentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignContentDto)
  content?: CampaignContentDto;

  @ApiPropertyOptional({ type: ScheduleDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule?: ScheduleDto;

  @ApiPropertyOptional({ example: 10000, description: 'Total budget' })
  @IsOptional()
  @IsAmount(2)
  @Min(0)
  budget?: number;

  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @IsString()
  @MaxLength(3)
  currency?: string;

  @ApiPropertyOptional({ type: GoalsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => GoalsDto)
  goals?: GoalsDto;

  @ApiPropertyOptional({ type: [KpiDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => KpiDto)
  kpis?: KpiDto[];

  @ApiPropertyOptional({ type: [ChannelAllocationDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ChannelAllocationDto)
  channels?: ChannelAllocationDto[];

  @ApiPropertyOptional({ type: StrategyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StrategyDto)
  strategy?: StrategyDto;

  @ApiPropertyOptional({ type: CampaignSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CampaignSettingsDto)
  settings?: CampaignSettingsDto;

  @ApiPropertyOptional({ type: IntegrationSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => IntegrationSettingsDto)
  integrationSettings?: IntegrationSettingsDto;

  @ApiPropertyOptional({
    example: 'user_123',
    description: 'Who created it (free text or a user id)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  createdBy?: string;
}

/** PATCH and PUT both apply a partial update (PUT is kept for clients written that way). */
export class UpdateCampaignDto extends PartialType(OmitType(CreateCampaignDto, ['status'])) {
  @ApiPropertyOptional({
    enum: CAMPAIGN_STATUSES,
    description: 'Moves through the state machine, like PATCH /status',
  })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: string;
}

export class ListCampaignsQuery extends PagedQuery {
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: CAMPAIGN_TYPES })
  @IsOptional()
  @IsIn(CAMPAIGN_TYPES)
  type?: string;

  @ApiPropertyOptional({
    enum: CAMPAIGN_GOALS,
    description: 'What the seeds call a campaign type (sales, data_collection, ...)',
  })
  @IsOptional()
  @IsIn(CAMPAIGN_GOALS)
  goal?: string;

  @ApiPropertyOptional({
    example: '-createdAt',
    description: 'createdAt, updatedAt, name, status, type; prefix - for descending',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  sort?: string;

  @ApiPropertyOptional({ example: 'launch', description: 'Search in name and description' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class LaunchCampaignDto {
  @ApiPropertyOptional({
    example: '2030-11-24T10:00:00Z',
    description: 'Launch later instead of now',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  scheduledAt?: string;

  @ApiPropertyOptional({
    example: false,
    description: 'Send only to settings.testRecipients, count nothing',
  })
  @IsOptional()
  @IsBoolean()
  testMode?: boolean;

  @ApiPropertyOptional({ example: 100, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  targetPercentage?: number;

  @ApiPropertyOptional({ enum: LAUNCH_PRIORITIES, example: 'normal' })
  @IsOptional()
  @IsIn(LAUNCH_PRIORITIES)
  priority?: string;
}

/** The seeds' `POST /campaigns/:id/send { action }` form of launch, resume and pause. */
export class SendActionDto {
  @ApiProperty({ enum: ['start', 'resume', 'pause'], example: 'start' })
  @IsIn(['start', 'resume', 'pause'])
  action: string;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: CAMPAIGN_STATUSES, example: 'paused' })
  @IsIn(CAMPAIGN_STATUSES)
  status: string;

  @ApiPropertyOptional({ example: 'Budget review' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class CloneCampaignDto {
  @ApiPropertyOptional({ example: 'Summer Sale Campaign (Copy)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: true, description: 'Statistics always start at zero on a clone' })
  @IsOptional()
  @IsBoolean()
  resetStatistics?: boolean;
}
