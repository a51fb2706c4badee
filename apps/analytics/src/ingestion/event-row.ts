import { isUuid } from '@app/common';
import { EventEnvelope } from '@app/contracts';

/** One consumed event, flattened to the columns analytics stores and rolls up. */
export interface EventRow {
  eventId: string;
  occurredAt: string;
  type: string;
  tenantId: string;
  workspaceId: string;
  campaignId: string | null;
  leadId: string | null;
  testMode: boolean;
  deliveryId: string | null;
  stepId: string | null;
  stepPosition: number | null;
  variantId: string | null;
  segmentId: string | null;
  source: string | null;
  channel: string | null;
  value: number | null;
  currency: string | null;
  data: Record<string, unknown>;
}

export type ParseResult = { row: EventRow } | { rejected: string };

const uuidOrNull = (v: unknown): string | null => (isUuid(v) ? v.toLowerCase() : null);
// Postgres text cannot hold NUL characters, which JSON strings may carry.
const textOrNull = (v: unknown): string | null =>
  typeof v === 'string' && v.length
    ? (v.includes('\0') ? v.replace(/\0/g, '') : v).slice(0, 200) || null
    : typeof v === 'number'
      ? String(v)
      : null;
const numberOrNull = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;
/** What numeric(18,4) can hold. */
const MAX_VALUE = 1e14;
/** Amounts are kept to 4 decimals (the rollups sum them as exact integers of ten-thousandths). */
const fourDecimals = (v: number) => (Math.sign(v) * Math.round(Math.abs(v) * 10000)) / 10000;

/**
 * Turns a Kafka message value into a row. Anything that cannot be stored exactly (no valid
 * eventId, tenant, workspace or time) is rejected with a reason instead of failing the batch,
 * so one malformed message can never stall a partition.
 */
export function parseEvent(raw: Buffer | string | null): ParseResult {
  if (!raw) return { rejected: 'empty message' };
  let e: EventEnvelope;
  try {
    e = JSON.parse(raw.toString()) as EventEnvelope;
  } catch {
    return { rejected: 'not JSON' };
  }
  if (!e || typeof e !== 'object') return { rejected: 'not an object' };
  const eventId = uuidOrNull(e.eventId);
  const tenantId = uuidOrNull(e.tenantId);
  const workspaceId = uuidOrNull(e.workspaceId);
  if (!eventId || !tenantId || !workspaceId)
    return { rejected: 'missing eventId/tenant/workspace' };
  const type = typeof e.type === 'string' ? textOrNull(e.type) : null;
  if (!type) return { rejected: 'missing type' };
  const at = typeof e.occurredAt === 'string' ? Date.parse(e.occurredAt) : NaN;
  // Years 0001-9999 only: the rollups' hour and day buckets are cut from the ISO string, and
  // Postgres refuses year 0000 as text (there is no year 0 before 1 AD), which would fail the
  // whole batch, and the partition with it, at every retry.
  const occurredAt = Number.isFinite(at) ? new Date(at).toISOString() : '';
  if (occurredAt.length !== 24 || occurredAt.startsWith('0000'))
    return { rejected: 'invalid occurredAt' };
  const d = (e.data && typeof e.data === 'object' ? e.data : {}) as Record<string, unknown>;
  const position = numberOrNull(d.stepPosition);
  const value = numberOrNull(d.value);
  if (value !== null && Math.abs(value) >= MAX_VALUE) return { rejected: 'value out of range' };
  return {
    row: {
      eventId,
      occurredAt,
      type,
      tenantId,
      workspaceId,
      campaignId: uuidOrNull(e.campaignId),
      leadId: uuidOrNull(e.leadId) ?? uuidOrNull(d.leadId),
      testMode: d.testMode === true,
      deliveryId: textOrNull(d.deliveryId),
      stepId: textOrNull(d.stepId),
      stepPosition:
        position !== null && Number.isInteger(position) && Math.abs(position) < 2 ** 31
          ? position
          : null,
      variantId: textOrNull(d.variantId),
      segmentId: textOrNull(d.segmentId),
      source: textOrNull(d.source),
      channel: textOrNull(d.channel),
      value: value === null ? null : fourDecimals(value),
      currency: textOrNull(d.currency),
      data: d,
    },
  };
}
