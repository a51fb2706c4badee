import { AudienceContact, EventEnvelope, LeadEventTypes } from '@app/contracts';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { EventConsumer } from '../events/event-consumer';
import { Metrics } from '../metrics/metrics';
import { CampaignRun } from '../runs/run-snapshot';
import { RunRepository } from '../runs/run.repository';
import { nextPosition } from '../sending/sequence';
import { SendableChecker } from '../sending/sendable-checker';
import { enrollPage, stagePage } from './enrollment.sql';

/** The parts of the leads service's event payloads (libs/contracts lead-events) read here. */
interface LeadContactData {
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  phone: string | null;
  timezone: string | null;
  consent?: boolean;
  customFields: Record<string, unknown>;
}
interface LeadCapturedData {
  leadId: string;
  source: string;
  campaignId: string | null;
  contact: LeadContactData;
}
interface LeadSuppressionData {
  leadId: string | null;
  email: string;
  reason: string;
}
const LEAD_DELETED = 'lead.deleted';

/**
 * Keeps the executor's copy of contacts and suppressions current from `lead.events`, and
 * enrolls captured leads into the workspace's active triggered campaigns whose trigger matches:
 * the lead was captured for that campaign, or from a source listed in
 * `targetAudience.filters.source` (a campaign without that filter takes every captured lead).
 */
@Injectable()
export class LeadEventsHandlers implements OnModuleInit {
  private readonly logger = new Logger('LeadEvents');

  constructor(
    private readonly consumer: EventConsumer,
    private readonly runs: RunRepository,
    private readonly ds: DataSource,
    private readonly metrics: Metrics,
    private readonly sendable: SendableChecker,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  onModuleInit(): void {
    this.consumer.on<LeadCapturedData>(LeadEventTypes.captured, (e) => this.captured(e));
    this.consumer.on(LeadEventTypes.updated, (e) => this.updated(e));
    this.consumer.on<LeadSuppressionData>(LeadEventTypes.suppressed, (e) => this.suppressed(e));
    this.consumer.on<LeadSuppressionData>(LeadEventTypes.unsuppressed, (e) => this.unsuppressed(e));
    this.consumer.on(LeadEventTypes.erased, (e) => this.forget(e));
    this.consumer.on(LEAD_DELETED, (e) => this.forget(e));
  }

  private async captured(event: EventEnvelope<LeadCapturedData>): Promise<void> {
    const { leadId, source, campaignId, contact } = event.data;
    if (!contact?.email) return;
    const triggered = (await this.runs.activeTriggered(event.workspaceId)).filter((r) =>
      matches(r, source, campaignId),
    );
    // Suppressed or unconsented leads are never enrolled. Whether a lead without consent
    // information may be mailed is the workspace's consent mode, which the leads service owns:
    // it answers, as at send time (a failed check throws, and the event is retried).
    const blocked = !triggered.length
      ? null
      : contact.consent === false
        ? 'no_consent'
        : await this.sendable.check(event.tenantId, event.workspaceId, contact.email.toLowerCase());
    if (blocked)
      this.logger.log({
        msg: 'captured lead not enrolled by trigger',
        leadId,
        reason: blocked,
        campaigns: triggered.length,
      });
    const runs = blocked ? [] : triggered;
    const audience = toAudience(leadId, source, contact);
    await this.ds.transaction(async (m) => {
      for (const run of runs) {
        const start = nextPosition(run.snapshot.steps, -1, new Date(), this.env.EXECUTOR_MINUTE_MS);
        const added = await enrollPage(
          m,
          { ...run, stepIndex: start.stepIndex, runAt: start.runAt ?? new Date() },
          stagePage([audience]), // per run: each page carries its own enrollment ids
        );
        if (added) {
          await m.query(
            'UPDATE executor.campaign_runs SET enrolled = enrolled + 1 WHERE campaign_id = $1',
            [run.campaignId],
          );
          this.metrics.enrolled.inc();
          this.logger.log({ msg: 'lead enrolled by trigger', campaignId: run.campaignId, leadId });
        }
      }
      if (!runs.length) await this.upsertKnown(m, event.workspaceId, leadId, contact);
    });
  }

  private async updated(event: EventEnvelope): Promise<void> {
    const data = event.data as { leadId: string; contact?: LeadContactData };
    if (data.contact)
      await this.upsertKnown(this.ds.manager, event.workspaceId, data.leadId, data.contact);
  }

  /** Only contacts already copied are refreshed: the executor keeps no one it won't mail. */
  private async upsertKnown(
    m: import('typeorm').EntityManager,
    workspaceId: string,
    leadId: string,
    c: LeadContactData,
  ): Promise<void> {
    await m.query(
      `UPDATE executor.contacts SET email = lower($3), first_name = $4, last_name = $5, company = $6,
              title = $7, phone = $8, timezone = $9, custom_fields = $10, updated_at = now()
        WHERE workspace_id = $1 AND lead_id = $2`,
      [
        workspaceId,
        leadId,
        c.email,
        c.firstName,
        c.lastName,
        c.company,
        c.title,
        c.phone,
        c.timezone,
        JSON.stringify(c.customFields ?? {}),
      ],
    );
  }

  private async suppressed(event: EventEnvelope<LeadSuppressionData>): Promise<void> {
    await this.ds.query(
      `INSERT INTO executor.suppressions (workspace_id, email, tenant_id, reason) VALUES ($1, lower($2), $3, $4)
       ON CONFLICT (workspace_id, email) DO UPDATE SET reason = EXCLUDED.reason`,
      [event.workspaceId, event.data.email, event.tenantId, event.data.reason],
    );
  }

  private async unsuppressed(event: EventEnvelope<LeadSuppressionData>): Promise<void> {
    await this.ds.query(
      'DELETE FROM executor.suppressions WHERE workspace_id = $1 AND email = lower($2)',
      [event.workspaceId, event.data.email],
    );
  }

  /** Erasure or deletion: drop the copy and end the lead's sequences. */
  private async forget(event: EventEnvelope): Promise<void> {
    const leadId = (event.data as { leadId: string }).leadId;
    await this.ds.transaction(async (m) => {
      await m.query(
        `UPDATE executor.enrollments SET status = 'stopped', status_reason = 'lead erased', updated_at = now()
          WHERE workspace_id = $1 AND lead_id = $2 AND status = 'active'`,
        [event.workspaceId, leadId],
      );
      await m.query(
        `UPDATE executor.contacts SET email = 'erased+' || lead_id || '@invalid', first_name = NULL,
                last_name = NULL, company = NULL, title = NULL, phone = NULL, custom_fields = '{}'
          WHERE workspace_id = $1 AND lead_id = $2`,
        [event.workspaceId, leadId],
      );
    });
  }
}

function matches(run: CampaignRun, source: string, campaignId: string | null): boolean {
  if (campaignId === run.campaignId) return true;
  const wanted = run.snapshot.targetAudience?.filters?.source;
  if (wanted === undefined || wanted === null) return true;
  return (Array.isArray(wanted) ? wanted : [wanted]).map(String).includes(source);
}

function toAudience(id: string, source: string, c: LeadContactData): AudienceContact {
  return {
    id,
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    company: c.company,
    title: c.title,
    phone: c.phone,
    timezone: c.timezone,
    source,
    segmentId: null,
    customFields: c.customFields ?? {},
  };
}
