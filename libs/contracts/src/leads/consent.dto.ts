import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

/**
 * What a lead with no consent information counts as: `opt_in` = not consented (only an
 * explicit `consent.email: true` is mailable), `implied` = consented (B2B legitimate interest
 * or a soft opt-in). An explicit refusal is never mailable under either.
 */
export const CONSENT_MODES = ['opt_in', 'implied'] as const;
export type ConsentMode = (typeof CONSENT_MODES)[number];

export class SetConsentPolicyDto {
  @ApiProperty({ enum: CONSENT_MODES, example: 'opt_in' })
  @IsIn(CONSENT_MODES)
  mode: ConsentMode;
}

export interface ConsentPolicyView {
  mode: ConsentMode;
  /** `workspace` once set through the API, else `default` (LEADS_CONSENT_DEFAULT). */
  source: 'workspace' | 'default';
  updatedAt: string | null;
}
