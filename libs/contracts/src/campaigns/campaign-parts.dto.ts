import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  ValidateIf,
} from 'class-validator';
import { SCHEDULE_FREQUENCIES, WEEKDAYS } from './campaign.enums';

/** Nested parts of a campaign; each is a plain JSON object stored as-is. */
export class TargetAudienceDto {
  @ApiPropertyOptional({
    example: ['3f1c2a8e-0d4b-4a53-9b3e-6f2a1c9d8e7f'],
    description: 'Segment ids (leads service)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  segments?: string[];

  @ApiPropertyOptional({
    example: {
      companySize: '50-500',
      industry: ['technology', 'finance'],
      engagementScore: '>75',
      locations: ['US', 'CA'],
    },
    description: 'Extra audience filters applied on top of the segments',
  })
  @IsOptional()
  @IsObject()
  filters?: Record<string, unknown>;
}

export class PersonalizationDto {
  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ example: ['firstName', 'company', 'lastPurchase'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  fields?: string[];
}

export class CampaignContentDto {
  @ApiPropertyOptional({ example: 'Introducing Our Latest Innovation' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  subject?: string;

  @ApiPropertyOptional({ example: 'template_123' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  templateId?: string;

  @ApiPropertyOptional({ type: PersonalizationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonalizationDto)
  personalization?: PersonalizationDto;
}

export class ScheduleDto {
  @ApiPropertyOptional({
    example: '2025-01-15T09:00:00Z',
    description:
      'A launch without its own scheduledAt is scheduled for this time while it is ahead',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  startDate?: string;

  @ApiPropertyOptional({
    example: '2025-03-31T23:59:59Z',
    description:
      'When it passes, a campaign still scheduled, active or paused is completed and every sequence stops',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  endDate?: string;

  @ApiPropertyOptional({ example: 'America/New_York' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ enum: SCHEDULE_FREQUENCIES, example: 'once' })
  @IsOptional()
  @IsIn(SCHEDULE_FREQUENCIES, {
    message:
      'frequency must be once: recurring campaigns are not supported (clone the campaign for each run)',
  })
  frequency?: string;
}

export class KpiDto {
  @ApiProperty({ example: 'conversions', description: 'Required unless `metric` names the KPI' })
  @ValidateIf((k: KpiDto) => k.metric === undefined)
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({
    example: 'conversions',
    description: 'The measured metric (the seeds name a KPI by its metric)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  metric?: string;

  @ApiProperty({ example: 1000 })
  @IsNumber()
  target: number;

  @ApiPropertyOptional({ example: 0 })
  @IsOptional()
  @IsNumber()
  current?: number;

  @ApiPropertyOptional({ example: 'count' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  unit?: string;
}

export class GoalsDto {
  @ApiPropertyOptional({ example: 'Increase sales by 30%' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  primary?: string;

  @ApiPropertyOptional({ example: ['Brand awareness', 'Customer retention'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  secondary?: string[];

  @ApiPropertyOptional({ example: 20000, description: 'Audience size the campaign aims to reach' })
  @IsOptional()
  @IsInt()
  @Min(0)
  targetAudience?: number;

  @ApiPropertyOptional({ example: 10, description: 'Target conversion rate, percent' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  conversionRate?: number;

  @ApiPropertyOptional({ example: 100000 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  revenue?: number;

  @ApiPropertyOptional({ type: [KpiDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => KpiDto)
  kpis?: KpiDto[];
}

export class ChannelAllocationDto {
  @ApiProperty({ example: 'Facebook Ads' })
  @IsString()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'social_media' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({ example: 'facebook' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  platform?: string;

  @ApiPropertyOptional({ example: 5000 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  budgetAllocation?: number;

  @ApiPropertyOptional({ example: '2024-06-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  startDate?: string;

  @ApiPropertyOptional({ example: '2024-08-31T23:59:59Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  endDate?: string;
}

export class SendWindowDto {
  @ApiProperty({ example: '09:00', description: 'Local time in the contact’s time zone, HH:MM' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'start must be HH:MM (24h)' })
  start: string;

  @ApiProperty({ example: '17:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'end must be HH:MM (24h)' })
  end: string;

  @ApiPropertyOptional({
    example: ['mon', 'tue', 'wed', 'thu', 'fri'],
    enum: WEEKDAYS,
    isArray: true,
  })
  @IsOptional()
  @IsArray()
  @IsIn(WEEKDAYS, { each: true })
  days?: string[];

  @ApiPropertyOptional({
    example: 'America/New_York',
    description: 'Used when a contact has no time zone',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  fallbackTimezone?: string;
}

export const AB_WINNER_METRICS = ['open_rate', 'click_rate'] as const;
export const AB_DECIDE_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;

export class AbDecideAfterDto {
  @ApiProperty({ example: 4 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  amount: number;

  @ApiProperty({ example: 'hours', enum: AB_DECIDE_UNITS })
  @IsIn(AB_DECIDE_UNITS)
  unit: (typeof AB_DECIDE_UNITS)[number];
}

/**
 * The A/B winner flow of an `ab_test` campaign: the A/B step (the first email step with two or
 * more weighted variants) goes to `testPercentage` % of the audience, split by weight; the rest
 * is held until `decideAfter` has passed since the first contact reached that step, then gets
 * the variant with the best `winnerMetric`.
 */
export class AbTestSettingsDto {
  @ApiProperty({ example: 20, description: 'Share of the audience in the test, 1–99 %' })
  @IsInt()
  @Min(1)
  @Max(99)
  testPercentage: number;

  @ApiProperty({ example: 'open_rate', enum: AB_WINNER_METRICS })
  @IsIn(AB_WINNER_METRICS)
  winnerMetric: (typeof AB_WINNER_METRICS)[number];

  @ApiProperty({ type: AbDecideAfterDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AbDecideAfterDto)
  decideAfter: AbDecideAfterDto;
}

export class CampaignSettingsDto {
  @ApiPropertyOptional({
    example: 500,
    description: 'Sends per day for this campaign, across all executors',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  dailyLimit?: number;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  trackOpens?: boolean;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  trackClicks?: boolean;

  @ApiPropertyOptional({ example: true, description: 'A reply ends that contact’s sequence' })
  @IsOptional()
  @IsBoolean()
  stopOnReply?: boolean;

  @ApiPropertyOptional({ type: SendWindowDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SendWindowDto)
  sendWindow?: SendWindowDto;

  @ApiPropertyOptional({ example: ['qa@example.com'], description: 'Recipients used in test mode' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsEmail({}, { each: true })
  testRecipients?: string[];

  @ApiPropertyOptional({
    example: '3f2e1d0c-9b8a-4c7d-8e6f-5a4b3c2d1e0f',
    description:
      'The channel account (SMTP server, credentials, rate) to send email through; the workspace default when absent',
  })
  @IsOptional()
  @IsUUID()
  channelAccountId?: string;

  @ApiPropertyOptional({
    type: AbTestSettingsDto,
    description: 'ab_test campaigns: test share first, then the winner to the rest',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AbTestSettingsDto)
  abTest?: AbTestSettingsDto;
}

export class IntegrationSettingsDto {
  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  crmSync?: boolean;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  attributionTracking?: boolean;
}

export class StrategyDto {
  @ApiPropertyOptional({ example: 'Focus on discount offers' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  messaging?: string;

  @ApiPropertyOptional({ example: 'Send during peak hours' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  timing?: string;

  @ApiPropertyOptional({ example: ['email'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  channels?: string[];
}
