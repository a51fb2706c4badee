import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** `POST /api/v1/campaigns/:id/ab-test/winner`: picks the winner now, instead of waiting. */
export class SelectAbWinnerDto {
  @ApiProperty({ example: 'B', description: 'Variant id or name of the A/B step' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  variant: string;
}
