import { toInt } from '../validation/query-number';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SUPPRESSION_REASONS } from './lead.enums';

export class AddSuppressionDto {
  @ApiProperty({ example: 'jane@example.com' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ enum: SUPPRESSION_REASONS, example: 'manual' })
  @IsIn(SUPPRESSION_REASONS)
  reason: string;

  @ApiPropertyOptional({ example: 'Asked by phone not to be contacted' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class ListSuppressionsQuery {
  @ApiPropertyOptional({ enum: [...SUPPRESSION_REASONS, 'erased'] })
  @IsOptional()
  @IsIn([...SUPPRESSION_REASONS, 'erased'])
  reason?: string;

  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ example: 20 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
