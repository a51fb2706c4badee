import { currentContext, Scope } from '@app/common';
import { buildEvent, EngagementEventTypes, RecordConversionDto, Topics } from '@app/contracts';
import { appendToOutbox, OUTBOX_RELAY, Relay } from '@app/kafka';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ANALYTICS_ENV, AnalyticsEnv } from '../config';
import { SCHEMA } from '../database/schema';
import { attribute, Attribution, Touch } from './attribution';

/**
 * Records a conversion, attributes it (conversions/attribution.ts) and emits
 * `engagement.converted` through the outbox in the same transaction; the ingestion consumer
 * then counts it like any other event, once, by its eventId. An `externalId` makes the POST
 * idempotent: posting it again returns the first answer with `duplicate: true`.
 */
@Injectable()
export class ConversionsService {
  constructor(
    private readonly ds: DataSource,
    @Inject(ANALYTICS_ENV) private readonly env: AnalyticsEnv,
    @Optional() @Inject(OUTBOX_RELAY) private readonly relay: Relay | null,
  ) {}

  async record(scope: Scope, dto: RecordConversionDto) {
    if (dto.externalId) {
      const existing = await this.find(scope, dto.externalId);
      if (existing) return { ...existing, duplicate: true };
    }
    const occurredAt = dto.occurredAt ? new Date(dto.occurredAt) : new Date();
    const email = dto.email?.trim().toLowerCase() ?? null;
    const leadId = dto.leadId ?? (email ? await this.leadByEmail(scope, email) : null);
    const touches = leadId ? await this.touches(scope, leadId, occurredAt, dto.campaignId) : [];
    const attribution = attribute(
      touches,
      occurredAt,
      this.env.ATTRIBUTION_WINDOW_DAYS,
      dto.campaignId,
    );
    const id = randomUUID();
    const currency = dto.currency ?? 'USD';
    const inserted = await this.ds.transaction(async (m) => {
      const rows: unknown[] = await m.query(
        `INSERT INTO analytics.conversions (id, tenant_id, workspace_id, external_id, lead_id, email,
           campaign_id, value, currency, occurred_at, attribution)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (tenant_id, workspace_id, external_id) DO NOTHING RETURNING id`,
        [
          id,
          scope.tenantId,
          scope.workspaceId,
          dto.externalId ?? null,
          leadId,
          email,
          attribution?.campaignId ?? null,
          dto.value,
          currency,
          occurredAt,
          attribution && JSON.stringify(attribution),
        ],
      );
      if (!rows.length) return false;
      if (attribution) {
        const event = buildEvent({
          type: EngagementEventTypes.converted,
          tenantId: scope.tenantId,
          workspaceId: scope.workspaceId,
          campaignId: attribution.campaignId,
          leadId: leadId ?? undefined,
          occurredAt,
          requestId: currentContext()?.requestId,
          data: {
            ...eventAttribution(attribution),
            value: dto.value,
            currency,
            conversionId: id,
            testMode: false,
          },
        });
        await appendToOutbox(m, SCHEMA, Topics.engagement, [event]);
      }
      return true;
    });
    this.relay?.poke();
    if (!inserted) return { ...(await this.find(scope, dto.externalId!))!, duplicate: true };
    return { ...(await this.view(scope, id))!, duplicate: false };
  }

  private async leadByEmail(scope: Scope, email: string): Promise<string | null> {
    const [row] = await this.ds.query(
      `SELECT id FROM analytics.leads WHERE tenant_id = $1 AND workspace_id = $2 AND email = $3
       ORDER BY last_event_at DESC LIMIT 1`,
      [scope.tenantId, scope.workspaceId, email],
    );
    return row?.id ?? null;
  }

  /** The lead's latest click and latest open before the conversion, within the window. */
  private async touches(
    scope: Scope,
    leadId: string,
    at: Date,
    campaignId?: string,
  ): Promise<Touch[]> {
    const params: unknown[] = [
      scope.tenantId,
      scope.workspaceId,
      leadId,
      at,
      this.env.ATTRIBUTION_WINDOW_DAYS,
    ];
    const campaign = campaignId ? `AND campaign_id = $${params.push(campaignId)}` : '';
    const latest = (kind: string) => `(SELECT type AS kind, campaign_id AS "campaignId",
        delivery_id AS "deliveryId", step_id AS "stepId", step_position AS "stepPosition",
        variant_id AS "variantId", segment_id AS "segmentId", source, channel, occurred_at AS "occurredAt"
      FROM analytics.events
      WHERE workspace_id = $2 AND lead_id = $3 AND tenant_id = $1 AND NOT test_mode
        AND type = '${kind}' AND occurred_at <= $4 AND occurred_at > $4 - make_interval(days => $5)
        AND campaign_id IS NOT NULL ${campaign}
      ORDER BY occurred_at DESC LIMIT 1)`;
    const rows: Touch[] = await this.ds.query(
      `${latest('engagement.clicked')} UNION ALL ${latest('engagement.opened')}`,
      params,
    );
    return rows.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt) }));
  }

  private async find(scope: Scope, externalId: string) {
    const [row] = await this.ds.query(
      'SELECT id FROM analytics.conversions WHERE tenant_id = $1 AND workspace_id = $2 AND external_id = $3',
      [scope.tenantId, scope.workspaceId, externalId],
    );
    return row ? this.view(scope, row.id) : null;
  }

  private async view(scope: Scope, id: string) {
    const [r] = await this.ds.query(
      `SELECT id, external_id, lead_id, email, value::float8 AS value, currency, occurred_at, attribution
       FROM analytics.conversions WHERE tenant_id = $1 AND workspace_id = $2 AND id = $3`,
      [scope.tenantId, scope.workspaceId, id],
    );
    if (!r) return null;
    return {
      conversionId: r.id as string,
      externalId: r.external_id as string | null,
      leadId: r.lead_id as string | null,
      email: r.email as string | null,
      value: r.value as number,
      currency: r.currency as string,
      occurredAt: new Date(r.occurred_at).toISOString(),
      attributed: !!r.attribution,
      attribution: r.attribution as Attribution | null,
    };
  }
}

function eventAttribution(a: Attribution) {
  return {
    deliveryId: a.deliveryId,
    stepId: a.stepId,
    stepPosition: a.stepPosition,
    variantId: a.variantId,
    segmentId: a.segmentId,
    source: a.source,
    channel: a.channel,
    attributionRule: a.rule,
  };
}
