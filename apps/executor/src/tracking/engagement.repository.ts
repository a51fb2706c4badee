import {
  buildEvent,
  DeliveryAttribution,
  EngagementEventData,
  InboundEvent,
  MessageEventData,
  MessageEventTypes,
  Topics,
} from '@app/contracts';
import { appendToOutbox } from '@app/kafka';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SCHEMA } from '../database/schema';

export interface DeliveryRow {
  id: string;
  tenant_id: string;
  workspace_id: string;
  campaign_id: string;
  enrollment_id: string;
  step_id: string;
  step_index: number;
  variant_id: string | null;
  channel: 'email' | 'webhook';
  recipient: string;
  test_mode: boolean;
  lead_id: string;
  segment_id: string | null;
  source: string | null;
  stop_on_reply: boolean;
  step_position: number | null;
}

/** Engagements that count once per delivery however often they are reported. */
export type OnceMark = 'unsubscribed_at' | 'complained_at';

/** Engagement on a delivery: the delivery's flags, suppression, and the engagement event. */
@Injectable()
export class EngagementRepository {
  constructor(private readonly ds: DataSource) {}

  async delivery(id: string, scope?: { workspaceId: string }): Promise<DeliveryRow | null> {
    const rows = await this.ds.query(
      `SELECT d.id, d.tenant_id, d.workspace_id, d.campaign_id, d.enrollment_id, d.step_id, d.step_index,
              d.variant_id, d.channel, d.recipient, d.test_mode, e.lead_id, e.segment_id, c.source,
              COALESCE((r.snapshot -> 'settings' ->> 'stopOnReply')::boolean, false) AS stop_on_reply,
              (r.snapshot -> 'steps' -> d.step_index ->> 'position')::int AS step_position
         FROM executor.deliveries d
         JOIN executor.enrollments e ON e.id = d.enrollment_id
         JOIN executor.campaign_runs r ON r.campaign_id = d.campaign_id
         LEFT JOIN executor.contacts c ON c.workspace_id = e.workspace_id AND c.lead_id = e.lead_id
        WHERE d.id = $1 AND ($2::uuid IS NULL OR d.workspace_id = $2)`,
      [id, scope?.workspaceId ?? null],
    );
    return rows[0] ?? null;
  }

  async linkUrl(linkId: string, campaignId: string): Promise<string | null> {
    const rows = await this.ds.query(
      'SELECT url FROM executor.links WHERE id = $1 AND campaign_id = $2',
      [linkId, campaignId],
    );
    return rows[0]?.url ?? null;
  }

  /**
   * Marks the delivery (first time only for the timestamp), runs `also` and emits the event,
   * atomically. A `once` mark (unsubscribe, complaint) emits its event only the first time;
   * `also` runs every time (an address suppressed again after a manual removal stays so).
   */
  async record(
    d: DeliveryRow,
    type: string,
    mark: { column: 'opened_at' | 'clicked_at' | 'replied_at' } | { once: OnceMark } | null,
    extra: Partial<EngagementEventData> = {},
    also?: (m: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.ds.transaction(async (m) => {
      let first = true;
      if (mark && 'column' in mark)
        await m.query(
          `UPDATE executor.deliveries SET ${mark.column} = COALESCE(${mark.column}, now()) WHERE id = $1`,
          [d.id],
        );
      else if (mark) {
        const [, marked] = await m.query(
          `UPDATE executor.deliveries SET ${mark.once} = now() WHERE id = $1 AND ${mark.once} IS NULL`,
          [d.id],
        );
        first = marked > 0;
      }
      if (also) await also(m);
      if (first) await emit(m, d, Topics.engagement, type, extra);
    });
  }

  /**
   * A provider's delivery receipt: the first one for a sent delivery sets `delivered_at` and
   * emits `message.delivered`, in one transaction. Returns why nothing was applied, if so.
   */
  async delivered(d: DeliveryRow): Promise<string | null> {
    return this.ds.transaction(async (m) => {
      const [row] = await m.query(
        `WITH marked AS (
           UPDATE executor.deliveries SET delivered_at = now()
            WHERE id = $1 AND status = 'sent' AND delivered_at IS NULL
           RETURNING provider_message_id)
         SELECT d.status, d.delivered_at IS NOT NULL AS already,
                (SELECT provider_message_id FROM marked) AS provider_message_id,
                EXISTS (SELECT 1 FROM marked) AS marked
           FROM executor.deliveries d WHERE d.id = $1`,
        [d.id],
      );
      if (!row?.marked) return row?.already ? 'already delivered' : notApplied(row?.status);
      await emit<MessageEventData>(m, d, Topics.message, MessageEventTypes.delivered, {
        ...(row.provider_message_id ? { providerMessageId: row.provider_message_id } : {}),
      });
      return null;
    });
  }

  /**
   * A bounce reported after the SMTP accept: the delivery (sent, or uncertain: the bounce shows
   * it left) fails, the address is suppressed, `message.bounced` is emitted. Once: a repeated
   * report finds the delivery failed and changes nothing. Returns why nothing was applied, if so.
   */
  async bounce(d: DeliveryRow, event: InboundEvent): Promise<string | null> {
    const permanent = event.permanent !== false;
    return this.ds.transaction(async (m) => {
      const [row] = await m.query(
        `WITH failed AS (
           UPDATE executor.deliveries SET status = 'failed', code = $2, reason = $3
            WHERE id = $1 AND status IN ('sent', 'uncertain')
           RETURNING id)
         SELECT d.status, EXISTS (SELECT 1 FROM failed) AS marked
           FROM executor.deliveries d WHERE d.id = $1`,
        [d.id, event.code ?? 'BOUNCE', event.reason ?? 'reported by the provider'],
      );
      if (!row?.marked) return notApplied(row?.status);
      if (permanent) await this.suppress(m, d, 'bounced');
      await emit<MessageEventData>(m, d, Topics.message, MessageEventTypes.bounced, {
        code: event.code ?? 'BOUNCE',
        reason: event.reason,
        permanent,
      });
      return null;
    });
  }

  /** No more mail to this address from this workspace: suppression and every active sequence. */
  async suppress(m: EntityManager, d: DeliveryRow, reason: string): Promise<void> {
    await m.query(
      `INSERT INTO executor.suppressions (workspace_id, email, tenant_id, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, email) DO UPDATE SET reason = EXCLUDED.reason`,
      [d.workspace_id, d.recipient, d.tenant_id, reason],
    );
    await this.stop(m, d, reason, true);
  }

  /** Ends the contact's sequence in this campaign, or in every campaign of the workspace. */
  async stop(
    m: EntityManager,
    d: DeliveryRow,
    reason: string,
    workspaceWide = false,
  ): Promise<void> {
    await m.query(
      `UPDATE executor.enrollments SET status = 'stopped', status_reason = $3, updated_at = now()
        WHERE workspace_id = $1 AND lead_id = $2 AND status = 'active'
          AND ($4::boolean OR campaign_id = $5)`,
      [d.workspace_id, d.lead_id, reason, workspaceWide, d.campaign_id],
    );
  }
}

function attribution(d: DeliveryRow): DeliveryAttribution {
  return {
    deliveryId: d.id,
    enrollmentId: d.enrollment_id,
    stepId: d.step_id,
    stepPosition: d.step_position ?? d.step_index + 1,
    variantId: d.variant_id,
    channel: d.channel,
    segmentId: d.segment_id,
    source: d.source,
    testMode: d.test_mode,
  };
}

/** An event about the delivery (its attribution and `extra`), into the outbox in `m`'s transaction. */
async function emit<T = EngagementEventData>(
  m: EntityManager,
  d: DeliveryRow,
  topic: string,
  type: string,
  extra: Partial<T>,
): Promise<void> {
  const event = buildEvent<T>({
    type,
    tenantId: d.tenant_id,
    workspaceId: d.workspace_id,
    campaignId: d.campaign_id,
    leadId: d.lead_id,
    data: { ...attribution(d), ...extra } as T,
  });
  await appendToOutbox(m, SCHEMA, topic, [event as never]);
}

/** Why an inbound report changed nothing: the delivery is not in a state it applies to. */
const notApplied = (status: string | undefined) => `delivery is ${status ?? 'unknown'}`;
