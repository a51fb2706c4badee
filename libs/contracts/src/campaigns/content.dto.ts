import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CONTENT_STATUSES, CONTENT_TYPES } from './campaign.enums';

/** Multipart text fields of a content calendar item; the file part is `media`. */
export class CreateContentDto {
  @ApiProperty({ example: 'New Blog Post' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ enum: CONTENT_TYPES, example: 'blog' })
  @IsOptional()
  @IsIn(CONTENT_TYPES)
  contentType?: string;

  @ApiPropertyOptional({ example: 'wordpress' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  platform?: string;

  @ApiPropertyOptional({ example: '2024-06-15T10:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  scheduledDate?: string;

  @ApiPropertyOptional({ enum: CONTENT_STATUSES, example: 'draft', default: 'draft' })
  @IsOptional()
  @IsIn(CONTENT_STATUSES)
  status?: string;

  @ApiPropertyOptional({ example: 'Content description' })
  @IsOptional()
  @IsString()
  @MaxLength(100000)
  body?: string;

  @ApiPropertyOptional({ example: 'maria@example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  assignee?: string;
}

export class UpdateContentDto extends PartialType(CreateContentDto) {}

/** What the gateway forwards of an uploaded file; the service checks its real type. */
export interface UploadedMedia {
  originalName: string;
  declaredType: string;
  size: number;
  base64: string;
}
