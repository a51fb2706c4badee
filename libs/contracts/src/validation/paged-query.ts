import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { toInt } from './query-number';

/** Beyond these a list is not paged through but exported; they also keep OFFSET a sane number. */
export const MAX_PAGE = 1_000_000;
export const MAX_OFFSET = 100_000_000;

/** `page`/`limit` (or `offset`) of a list route; list queries extend it with their filters. */
export class PagedQuery {
  @ApiPropertyOptional({ example: 1, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({
    example: 0,
    minimum: 0,
    maximum: MAX_OFFSET,
    description: 'Instead of page',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;
}
