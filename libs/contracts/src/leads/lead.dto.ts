import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { INTEREST_LEVELS, LEAD_STATUSES } from './lead.enums';

export class ContactDto {
  @ApiProperty({ example: 'john.doe@company.com' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiPropertyOptional({ example: 'John' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Doe' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  lastName?: string;

  @ApiPropertyOptional({ example: 'Tech Corp' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  company?: string;

  @ApiPropertyOptional({ example: '+1-555-0123' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string;

  @ApiPropertyOptional({ example: 'Marketing Director' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;
}

/** Built-in segmentation attributes (docs/leads.md explains why these are columns). */
export class ProfileDto {
  @ApiPropertyOptional({ example: 250, description: 'Number of employees' })
  @IsOptional()
  @IsInt()
  @Min(0)
  companySize?: number;

  @ApiPropertyOptional({ example: 'technology' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  industry?: string;

  @ApiPropertyOptional({ example: 'US', description: 'ISO 3166-1 alpha-2 country code' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'profile.country must be a 2-letter country code' })
  country?: string;
}

export class QualificationDto {
  @ApiPropertyOptional({ example: 85, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  leadScore?: number;

  @ApiPropertyOptional({ example: 80, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  engagementScore?: number;

  @ApiPropertyOptional({ enum: INTEREST_LEVELS, example: 'high' })
  @IsOptional()
  @IsIn(INTEREST_LEVELS)
  interestLevel?: string;

  @ApiPropertyOptional({ example: '25000-50000' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  budgetRange?: string;

  @ApiPropertyOptional({ example: '1-3_months' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  timeline?: string;
}

export class TrackingDto {
  @ApiPropertyOptional({ example: 'google_ads' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  utmSource?: string;

  @ApiPropertyOptional({ example: 'cpc' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  utmMedium?: string;

  @ApiPropertyOptional({ example: 'q1_product_launch' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  utmCampaign?: string;
}

export class ConsentDto {
  @ApiProperty({ example: true, description: 'May this lead receive marketing email?' })
  @IsBoolean()
  email: boolean;

  @ApiPropertyOptional({ example: 'website_form_checkbox' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;
}

export class CaptureLeadDto {
  @ApiPropertyOptional({ example: 'website_form', default: 'api' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  source?: string;

  @ApiPropertyOptional({ example: '3f1c2a8e-0d4b-4a53-9b3e-6f2a1c9d8e7f' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiProperty({ type: ContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact: ContactDto;

  @ApiPropertyOptional({ type: ProfileDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProfileDto)
  profile?: ProfileDto;

  @ApiPropertyOptional({ type: QualificationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QualificationDto)
  qualification?: QualificationDto;

  @ApiPropertyOptional({ type: TrackingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TrackingDto)
  tracking?: TrackingDto;

  @ApiPropertyOptional({ example: { referralCode: 'SUMMER2024', age: 34, interests: ['tech'] } })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'America/New_York' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ type: ConsentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;

  @ApiPropertyOptional({ enum: LEAD_STATUSES, example: 'new', description: 'Initial status only' })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'Interested in product' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;
}

class PartialContactDto extends PartialType(ContactDto) {}

/** PATCH/PUT: contact details, qualification and the sales pipeline (status moves are checked). */
export class UpdateLeadDto {
  @ApiPropertyOptional({ enum: LEAD_STATUSES, example: 'qualified' })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'discovery_call_scheduled' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  salesStage?: string;

  @ApiPropertyOptional({ example: 'rep_789' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  salesRep?: string;

  @ApiPropertyOptional({ example: 'High-value prospect, interested in enterprise features' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;

  @ApiPropertyOptional({ example: '2025-01-25T14:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  followUpDate?: string;

  @ApiPropertyOptional({ type: PartialContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PartialContactDto)
  contact?: PartialContactDto;

  @ApiPropertyOptional({ type: ProfileDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProfileDto)
  profile?: ProfileDto;

  @ApiPropertyOptional({ type: QualificationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => QualificationDto)
  qualification?: QualificationDto;

  @ApiPropertyOptional({ type: TrackingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TrackingDto)
  tracking?: TrackingDto;

  @ApiPropertyOptional({
    description: 'Merged into the existing custom fields; null removes a key',
  })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ type: ConsentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;

  @ApiPropertyOptional({
    example: 'Moved after the demo',
    description: 'Kept in the status history',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  statusNote?: string;
}
