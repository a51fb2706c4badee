import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';

/** Patterns the gateway uses for previews, test sends and dry runs (served by the executor). */
export const AuthoringRpc = {
  preview: 'executor.authoring.preview',
  testSend: 'executor.authoring.test-send',
  simulate: 'executor.authoring.simulate',
} as const;

export class PreviewStepDto {
  @ApiPropertyOptional({ description: 'Render for this lead of the workspace' })
  @IsOptional()
  @IsUUID()
  leadId?: string;

  @ApiPropertyOptional({
    example: { firstName: 'Ada', company: 'Analytical Engines', email: 'ada@example.com' },
    description: 'Sample contact fields when no lead is given',
  })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class TestSendDto {
  @ApiPropertyOptional({ example: ['qa@example.com'], description: '1 to 10 addresses' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsEmail({}, { each: true })
  emails: string[];

  @ApiPropertyOptional({ description: 'One step; every sending step when omitted' })
  @IsOptional()
  @IsUUID()
  stepId?: string;

  @ApiPropertyOptional({
    example: { firstName: 'Ada' },
    description: 'Contact fields used to personalise',
  })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class SimulateCampaignDto {
  @ApiPropertyOptional({
    example: '2030-01-06T08:00:00Z',
    description: 'Launch time to plan from (default: now)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  startAt?: string;

  @ApiPropertyOptional({ example: 100, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  targetPercentage?: number;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  testMode?: boolean;

  @ApiPropertyOptional({
    example: 10,
    minimum: 0,
    maximum: 100,
    description: 'Contacts whose planned timeline is returned',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  sampleSize?: number;
}

export interface RenderedMessage {
  stepId: string;
  variantId: string | null;
  variantName: string | null;
  to: string;
  from: string;
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
}

export interface TestSendResult {
  sent: Array<{ to: string; stepId: string; variantId: string | null; providerMessageId?: string }>;
  failed: Array<{ to: string; stepId: string; code: string; reason: string }>;
}

export interface SimulationStepCount {
  stepId: string;
  position: number;
  name: string | null;
  sends: number;
  variants: Array<{ variantId: string; name: string; sends: number }>;
}

export interface SimulationResult {
  campaignId: string;
  startAt: string;
  audience: {
    matched: number;
    eligible: number;
    enrolled: number;
    excluded: { suppressed: number; unconsented: number; sampledOut: number };
  };
  totals: { sends: number; firstSendAt: string | null; lastSendAt: string | null; days: number };
  steps: SimulationStepCount[];
  /** Sends per day in the campaign's zone (schedule.timezone, else UTC: the day dailyLimit counts in), per step and variant. */
  perDay: Array<{ date: string; sends: number; steps: SimulationStepCount[] }>;
  sample: Array<{
    leadId: string;
    email: string;
    timezone: string | null;
    timeline: Array<{ stepId: string; position: number; at: string; variant: string | null }>;
  }>;
  assumptions: string[];
  /**
   * The A/B winner flow: the test share is sent as it comes due, the rest at `decideAt` (the
   * first arrival at the A/B step + decideAfter) with the winner, whose name is not known yet
   * (`variant: "winner"` in the sample timelines; no per-variant count).
   */
  abTest?: {
    stepId: string;
    testPercentage: number;
    decideAt: string | null;
    testShare: number;
    afterDecision: number;
  };
  tookMs: number;
}
