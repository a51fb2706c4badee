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
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { STEP_TYPES } from './campaign.enums';

export const DELAY_UNITS = ['minutes', 'hours', 'days'] as const;
export const CONDITION_KINDS = [
  'opened',
  'not_opened',
  'clicked',
  'not_clicked',
  'replied',
  'not_replied',
] as const;

export class DelayDto {
  @ApiProperty({ example: 2 })
  @IsInt()
  @Min(0)
  @Max(100000)
  amount: number;

  @ApiProperty({ enum: DELAY_UNITS, example: 'days' })
  @IsIn(DELAY_UNITS)
  unit: string;
}

export class VariantDto {
  @ApiProperty({ example: 'A' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 50, description: 'Relative weight; weights need not add up to 100' })
  @IsInt()
  @Min(0)
  @Max(10000)
  weight: number;

  @ApiPropertyOptional({ example: 'Hello {{firstName|there}}' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  subject?: string;

  @ApiPropertyOptional({ example: '<p>Hi {{firstName|there}}</p>' })
  @IsOptional()
  @IsString()
  @MaxLength(500000)
  bodyHtml?: string;

  @ApiPropertyOptional({ example: 'Hi {{firstName|there}}' })
  @IsOptional()
  @IsString()
  @MaxLength(500000)
  bodyText?: string;

  @ApiPropertyOptional({
    example: '9b2d7c1e-4f5a-4c3b-8d2e-1a0b9c8d7e6f',
    description:
      'A template of this workspace; its content is used where the variant has none of its own',
  })
  @IsOptional()
  @IsUUID()
  templateId?: string;

  @ApiPropertyOptional({
    example: 1,
    description:
      'Pin a template version; unpinned variants are pinned to the current version at launch',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  templateVersion?: number;
}

export class StepConditionDto {
  @ApiProperty({
    enum: CONDITION_KINDS,
    example: 'not_opened',
    description: 'About the previous email step',
  })
  @IsIn(CONDITION_KINDS)
  kind: string;
}

export class StepWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/campaign' })
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  url: string;

  @ApiPropertyOptional({
    example: 100,
    description:
      'Messages per POST (1-1000, default 1). Above 1, messages ready at the same moment go ' +
      'together as {"messages": [...]}; see docs/executor.md, "HTTP channel"',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  batchSize?: number;
}

export class CreateStepDto {
  @ApiProperty({ enum: STEP_TYPES, example: 'email' })
  @IsIn(STEP_TYPES)
  type: string;

  @ApiPropertyOptional({ example: 'Welcome email' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    example: 1,
    description: '1-based position; appended at the end when omitted',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  position?: number;

  @ApiPropertyOptional({ example: 'Hello {{firstName|there}}' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  subject?: string;

  @ApiPropertyOptional({
    example: '<p>Hi {{firstName|there}}, welcome to {{company|our community}}.</p>',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500000)
  bodyHtml?: string;

  @ApiPropertyOptional({ example: 'Hi {{firstName|there}}' })
  @IsOptional()
  @IsString()
  @MaxLength(500000)
  bodyText?: string;

  @ApiPropertyOptional({
    example: '9b2d7c1e-4f5a-4c3b-8d2e-1a0b9c8d7e6f',
    description:
      'A template of this workspace; its content is used where the step has none of its own',
  })
  @IsOptional()
  @IsUUID()
  templateId?: string;

  @ApiPropertyOptional({
    example: 2,
    description:
      'Pin a template version; unpinned steps are pinned to the current version at launch',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  templateVersion?: number;

  @ApiPropertyOptional({
    type: DelayDto,
    description: 'For wait steps: how long to wait before the next step',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DelayDto)
  delay?: DelayDto;

  @ApiPropertyOptional({ type: StepConditionDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StepConditionDto)
  condition?: StepConditionDto;

  @ApiPropertyOptional({ type: StepWebhookDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StepWebhookDto)
  webhook?: StepWebhookDto;

  @ApiPropertyOptional({ type: [VariantDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => VariantDto)
  variants?: VariantDto[];

  @ApiPropertyOptional({ example: { campaignTag: 'spring' } })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class UpdateStepDto extends PartialType(CreateStepDto) {}
