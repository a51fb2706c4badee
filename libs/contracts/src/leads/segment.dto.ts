import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SEGMENT_TYPES } from './lead.enums';

const RULES_EXAMPLE = {
  combinator: 'and',
  rules: [
    { field: 'companySize', operator: 'between', value: [50, 500] },
    { field: 'industry', operator: 'in', value: ['technology', 'finance'] },
    { field: 'engagementScore', operator: 'gt', value: 75 },
    {
      combinator: 'or',
      rules: [
        { field: 'country', operator: 'in', value: ['US', 'CA'] },
        { field: 'customFields.interests', operator: 'contains', value: 'technology' },
      ],
    },
  ],
};

/** Rules are validated by the leads service (unknown field, operator or type: 400 naming it). */
export class CreateSegmentDto {
  @ApiProperty({ example: 'Enterprise tech in North America' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'Seed audience for the Q1 launch' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ enum: SEGMENT_TYPES, default: 'dynamic' })
  @IsOptional()
  @IsIn(SEGMENT_TYPES)
  type?: string;

  @ApiPropertyOptional({ example: RULES_EXAMPLE, description: 'Rule tree (dynamic segments)' })
  @IsOptional()
  @IsObject()
  rules?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Initial members (static segments)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @IsUUID('all', { each: true })
  leadIds?: string[];
}

export class UpdateSegmentDto {
  @ApiPropertyOptional({ example: 'Enterprise tech (NA)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: RULES_EXAMPLE })
  @IsOptional()
  @IsObject()
  rules?: Record<string, unknown>;
}

export class SegmentMembersDto {
  @ApiProperty({ type: [String], example: ['7c9e6679-7425-40de-944b-e07fc1f90ae7'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @IsUUID('all', { each: true })
  leadIds: string[];
}

export class SegmentSampleQuery {
  @ApiPropertyOptional({ example: 10, minimum: 1, maximum: 100 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
