import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { TASK_STATUSES } from './campaign.enums';

export class CreateTaskDto {
  @ApiProperty({ example: 'Create ad copy' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ example: 'Write compelling ad copy for Facebook' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ example: 'maria@example.com', description: 'Assignee (user id or email)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  assignee?: string;

  @ApiPropertyOptional({ example: '2024-06-15T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueDate?: string;

  @ApiPropertyOptional({ enum: TASK_STATUSES, example: 'pending', default: 'pending' })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: string;
}

export class UpdateTaskDto extends PartialType(CreateTaskDto) {}
