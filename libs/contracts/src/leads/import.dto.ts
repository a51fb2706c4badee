import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DUPLICATE_POLICIES } from './lead.enums';

/** Multipart fields sent beside the `file` of an import. */
export class ImportLeadsDto {
  @ApiPropertyOptional({
    enum: DUPLICATE_POLICIES,
    default: 'skip',
    description: 'What to do with an email the workspace already has',
  })
  @IsOptional()
  @IsIn(DUPLICATE_POLICIES)
  duplicatePolicy?: string;

  @ApiPropertyOptional({
    example: '{"E-mail Address":"email","Org":"company","Seats":"customFields.seats"}',
    description:
      'JSON object: CSV header → field; overrides the automatic mapping; "" ignores a column',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  mapping?: string;

  @ApiPropertyOptional({ example: 'trade_show', default: 'import' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  source?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description:
      'true: every created lead emits lead.captured (its source), so active triggered campaigns enroll it',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  triggerCampaigns?: string;
}

export class PageQuery {
  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ example: 50 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
