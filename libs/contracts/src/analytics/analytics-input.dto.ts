import { IsAmount } from '../validation/is-amount';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsInt,
  IsISO8601,
  IsNotEmpty,
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

const MAX_MONEY = 1e12;

export class ExternalMetricsValuesDto {
  @ApiPropertyOptional({ example: 10000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  impressions?: number;

  @ApiPropertyOptional({ example: 500 })
  @IsOptional()
  @IsInt()
  @Min(0)
  clicks?: number;

  @ApiPropertyOptional({ example: 50 })
  @IsOptional()
  @IsInt()
  @Min(0)
  conversions?: number;

  @ApiPropertyOptional({ example: 250 })
  @IsOptional()
  @IsAmount(4)
  @Min(0)
  @Max(MAX_MONEY)
  cost?: number;

  @ApiPropertyOptional({ example: 5000 })
  @IsOptional()
  @IsAmount(4)
  @Min(0)
  @Max(MAX_MONEY)
  revenue?: number;

  @ApiPropertyOptional({ example: { engagementRate: 0.05 } })
  @IsOptional()
  @IsObject()
  customMetrics?: Record<string, unknown>;
}

/** External metrics for one campaign, day and source; posting the same day and source replaces. */
export class RecordExternalMetricsDto {
  @ApiProperty({ example: '2025-06-15' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'date must be a valid date (YYYY-MM-DD)' })
  date: string;

  @ApiProperty({ example: 'facebook' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  source: string;

  @ApiProperty({ type: ExternalMetricsValuesDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ExternalMetricsValuesDto)
  metrics: ExternalMetricsValuesDto;
}

/** A conversion reported by the customer's system (checkout, CRM); attributed by analytics. */
export class RecordConversionDto {
  @ApiPropertyOptional({ description: 'The converting lead (or give email)' })
  @IsOptional()
  @IsUUID()
  leadId?: string;

  @ApiPropertyOptional({ example: 'john.doe@company.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiProperty({ example: 129.9 })
  @IsAmount(4)
  @Min(0)
  @Max(MAX_MONEY)
  value: number;

  @ApiPropertyOptional({ example: 'USD', default: 'USD' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({ example: '2025-01-20T10:00:00Z', description: 'Default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;

  @ApiPropertyOptional({ description: 'Fallback campaign when the lead has no tracked touch' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({
    example: 'order-10023',
    description: 'Your id for this conversion: posting it again is answered, not counted, twice',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId?: string;
}
