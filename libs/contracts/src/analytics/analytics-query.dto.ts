import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AB_METRICS, AbMetric, STATISTICS_PERIODS, StatisticsPeriod } from './analytics-rpc';

const DATE_DOC = 'YYYY-MM-DD (whole UTC day) or an ISO 8601 date-time';

export class DateRangeQuery {
  @ApiPropertyOptional({ example: '2025-01-01', description: `Start, inclusive: ${DATE_DOC}` })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'startDate must be an ISO 8601 date (YYYY-MM-DD)' })
  startDate?: string;

  @ApiPropertyOptional({ example: '2025-01-31', description: `End, inclusive: ${DATE_DOC}` })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'endDate must be an ISO 8601 date (YYYY-MM-DD)' })
  endDate?: string;
}

export class CampaignAnalyticsQuery extends DateRangeQuery {
  @ApiPropertyOptional({ example: 'newsletter', description: 'Only this source' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;
}

export class StatisticsQuery {
  @ApiPropertyOptional({ enum: STATISTICS_PERIODS, default: 'all' })
  @IsOptional()
  @IsIn(STATISTICS_PERIODS, { message: `period must be one of ${STATISTICS_PERIODS.join(', ')}` })
  period?: StatisticsPeriod;

  @ApiPropertyOptional({
    example: 'overview,performance',
    description:
      'Comma-separated sections: overview, performance, timeline, segments (default all)',
  })
  @IsOptional()
  @Matches(/^[a-z,]+$/i, { message: 'metrics must be a comma-separated list of section names' })
  metrics?: string;
}

export class AbResultsQuery extends DateRangeQuery {
  @ApiPropertyOptional({ enum: AB_METRICS, default: 'click' })
  @IsOptional()
  @IsIn(AB_METRICS, { message: `metric must be one of ${AB_METRICS.join(', ')}` })
  metric?: AbMetric;
}
