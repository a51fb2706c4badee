import { PagedQuery } from '../validation/paged-query';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CHANNELS } from '../campaigns/campaign.enums';

export class TemplateVariableDto {
  @ApiProperty({
    example: 'firstName',
    description: 'A placeholder name: firstName, company, custom.<field>...',
  })
  @Matches(/^(?:[A-Za-z][A-Za-z0-9_]*|custom\.[A-Za-z0-9_][A-Za-z0-9_.-]*)$/, {
    message: 'name must be a placeholder name',
  })
  name: string;

  @ApiPropertyOptional({ example: 'there', description: 'Used when a lead has no value' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  fallback?: string;

  @ApiPropertyOptional({ example: 'Recipient first name' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class CreateTemplateDto {
  @ApiProperty({ example: 'Welcome email' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: CHANNELS, example: 'email', default: 'email' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: string;

  @ApiPropertyOptional({ example: 'Sent to new sign-ups' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: 'Welcome, {{firstName|friend}}' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  subject?: string;

  @ApiPropertyOptional({
    example: '<h1>Hi {{firstName|friend}}</h1><p>Thanks for joining {{company|us}}.</p>',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500000)
  bodyHtml?: string;

  @ApiPropertyOptional({
    example: 'Hi {{firstName|friend}}',
    description: 'Generated from bodyHtml when absent',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500000)
  bodyText?: string;

  @ApiPropertyOptional({ type: [TemplateVariableDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => TemplateVariableDto)
  variables?: TemplateVariableDto[];

  @ApiPropertyOptional({ example: ['onboarding'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];
}

export class UpdateTemplateDto extends PartialType(CreateTemplateDto) {}

export class TemplateCheckQuery {
  @ApiPropertyOptional({
    example: '5d1f0c3e-2b4a-4e6f-9a8b-7c6d5e4f3a2b',
    description:
      'Count, for each placeholder without a fallback, the leads of this segment that lack its value',
  })
  @IsOptional()
  @IsUUID()
  segmentId?: string;
}

export class ListTemplatesQuery extends PagedQuery {
  @ApiPropertyOptional({ example: 'welcome' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ example: 'onboarding' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  tag?: string;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: string;

  @ApiPropertyOptional({ example: '-updatedAt', description: 'name, createdAt, updatedAt' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  sort?: string;
}

export class PreviewTemplateDto {
  @ApiPropertyOptional({
    example: { firstName: 'Ada', company: 'Analytical Engines', custom: { plan: 'pro' } },
  })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 2, description: 'A version other than the current one' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export interface TemplateWarning {
  code: 'NO_FALLBACK' | 'UNDECLARED_VARIABLE' | 'UNUSED_VARIABLE';
  variable: string;
  message: string;
  /** With `?segmentId=`: how many leads of that segment lack the variable (NO_FALLBACK only). */
  segment?: { id: string; name: string; total: number; missing: number };
}

export interface TemplateVersionView {
  version: number;
  subject: string | null;
  bodyHtml: string | null;
  bodyText: string | null;
  textGenerated: boolean;
  variables: TemplateVariableDto[];
  createdAt: string;
}

export interface TemplateView extends TemplateVersionView {
  id: string;
  name: string;
  channel: string;
  description: string | null;
  tags: string[];
  warnings: TemplateWarning[];
  updatedAt: string;
}

export interface TemplatePreview {
  templateId: string;
  version: number;
  subject: string;
  html: string | null;
  text: string | null;
}
