import { toInt } from '../validation/query-number';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { LEAD_STATUSES } from './lead.enums';

const toList = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/** The list's filters; export takes the same ones. */
export class LeadFiltersQuery {
  @ApiPropertyOptional({ enum: LEAD_STATUSES })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'website_form' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  source?: string;

  @ApiPropertyOptional({ example: '3f1c2a8e-0d4b-4a53-9b3e-6f2a1c9d8e7f' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({ example: 50, description: 'Lead score at least' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  minScore?: number;

  @ApiPropertyOptional({ example: 100, description: 'Lead score at most' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  maxScore?: number;

  @ApiPropertyOptional({ example: '2025-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601()
  createdFrom?: string;

  @ApiPropertyOptional({ example: '2025-02-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601()
  createdTo?: string;

  @ApiPropertyOptional({
    example: 'referralCode:SUMMER2024',
    description: 'Custom field equality `key:value`; repeat for several (all must match)',
  })
  @IsOptional()
  @Transform(toList)
  @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,62}:.{0,500}$/, {
    each: true,
    message: 'customField must look like key:value',
  })
  customField?: string[];

  @ApiPropertyOptional({
    example: 'john acme',
    description:
      'Words that must each begin a word of the first name, last name, company, email domain or a dotted/hyphenated local part, in any order and case; or the start of the email address',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class ListLeadsQuery extends LeadFiltersQuery {
  @ApiPropertyOptional({ example: 1, minimum: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ example: 0, minimum: 0 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  offset?: number;

  @ApiPropertyOptional({
    example: '-createdAt',
    description:
      'createdAt, updatedAt, email, lastName, company, leadScore, status; - for descending',
  })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  sort?: string;
}
