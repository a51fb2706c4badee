import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

/** `PUT /api/v1/sending-limits`: the workspace's own limits over the deployment's defaults. */
export class UpdateSendingLimitsDto {
  @ApiProperty({
    example: 3,
    nullable: true,
    description:
      'Emails one contact may get per rolling 24 h across the workspace’s campaigns; 0 = no cap; null = the deployment default (FREQUENCY_CAP_PER_DAY)',
  })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(1000)
  frequencyCapPerDay: number | null;
}

export interface SendingLimitsView {
  /** The workspace's own value; null when it follows the deployment default. */
  frequencyCapPerDay: number | null;
  /** The deployment default (FREQUENCY_CAP_PER_DAY). */
  defaultFrequencyCapPerDay: number;
  /** What sends use now: the workspace's value, else the default (0 = no cap). */
  effectiveFrequencyCapPerDay: number;
}
