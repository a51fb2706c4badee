import { uuidv7Prefix } from '@app/common';
import { MessageEventTypes, Topics } from '@app/contracts';
import { pgBinary, PreparedStatement } from '@app/database';
import { appendLinesToOutbox } from '@app/kafka';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { SCHEMA } from '../database/schema';
import {
  eventText,
  extraFields,
  MessageEventJson,
  messageEventSql,
  MessageEventSpec,
} from './message-events';
import { StatementBatcher } from './statement-batcher';

export interface LoadedEnrollment {
  id: string;
  tenant_id: string;
  workspace_id: string;
  campaign_id: string;
  lead_id: string;
  segment_id: string | null;
  step_index: number;
  status: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  phone: string | null;
  timezone: string | null;
  source: string | null;
  custom_fields: Record<string, unknown>;
  suppressed: boolean;
}

export interface Claim {
  id: string;
  tenantId: string;
  workspaceId: string;
  campaignId: string;
  enrollmentId: string;
  stepId: string;
  stepIndex: number;
  variantId: string | null;
  channel: string;
  recipient: string;
  testMode: boolean;
  dailyLimit: number | null;
  /** The quota day (YYYY-MM-DD in the campaign's zone) a dailyLimit claim counts against; null without one. */
  quotaDay: string | null;
  /** Emails per rolling 24 h to this address across the workspace (null: no cap). */
  frequencyCap: number | null;
}

export type ClaimResult = 'claimed' | 'exists' | 'daily_limit' | 'frequency_cap';

export interface Outcome {
  status: string;
  code?: string;
  reason?: string;
  providerMessageId?: string;
}

export interface Settlement {
  deliveryId: string;
  outcome: Outcome;
  advance: Advance;
  /** The events of one delivery: they share its attribution (`ref`). */
  events: MessageEventSpec[];
}

/** Rows per coalesced statement: big enough to amortise the round trip, small enough to parse fast. */
const BATCH_ROWS = 500;

const ENROLLMENT_COLUMNS = `e.id, e.tenant_id, e.workspace_id, e.campaign_id, e.lead_id, e.segment_id, e.step_index,
              e.status, c.email, c.first_name, c.last_name, c.company, c.title, c.phone, c.timezone,
              c.source, c.custom_fields,
              EXISTS (SELECT 1 FROM executor.suppressions s
                       WHERE s.workspace_id = e.workspace_id AND s.email = c.email) AS suppressed
         FROM executor.enrollments e
         JOIN executor.contacts c ON c.workspace_id = e.workspace_id AND c.lead_id = e.lead_id`;

/**
 * The outbox rows of a set-based statement: one row per campaign holding, one per line in
 * input order, the JSON text of the events (`line`, messageEventSql) of the deliveries the
 * statement really wrote (`from`, joined to their inputs in `joins`).
 */
const packedEvents = (from: string, topic: string, joins: string, line: string, n: string) => `
         INSERT INTO executor.outbox (topic, message_key, lines, line_count)
         SELECT ${topic}, ${from}.campaign_id::text, string_agg(${line}, E'\n' ORDER BY ${n}), count(*)
           FROM ${from} ${joins}
          GROUP BY ${from}.campaign_id`;

/**
 * An event's id: a UUIDv7 prefix drawn for the statement ($prefix) and the event's ordinal in
 * it as the last 8 digits, as `uuidv7` makes them (a prefix per millisecond and a counter).
 */
const eventIdSql = (prefix: string, n: string) => `${prefix} || lpad(to_hex(${n}), 8, '0')`;

/** The columns of a delivery row (`d`) and of its inputs (`a`) that attribute its events. */
const attributed = (d: string, a: string) => ({
  tenantId: `${d}.tenant_id`,
  workspaceId: `${d}.workspace_id`,
  campaignId: `${d}.campaign_id`,
  deliveryId: `${d}.id`,
  enrollmentId: `${d}.enrollment_id`,
  stepId: `${d}.step_id`,
  variantId: `${d}.variant_id`,
  channel: `${d}.channel`,
  testMode: `${d}.test_mode`,
  stepPosition: `${a}.step_position`,
  segmentId: `${a}.segment_id`,
  source: `${a}.source`,
  leadId: `${a}.lead_id`,
});

/**
 * The set-based statements' array parameters go in Postgres' binary format (pg-binary.ts): no
 * array literal to build here, no uuid, integer or quoted text for Postgres to parse. Each
 * encoder's element type is the one its parameter is cast to in the statement.
 */
const { boolArray, int4Array, textArray, timestamptzArray, uuidArray } = pgBinary;

/** What a delivery's events need beyond its row, one array per column (see `attributed`). */
const attributionColumns = (refs: (MessageEventSpec['ref'] | undefined)[]) => [
  int4Array(refs.map((r) => r?.stepPosition)),
  uuidArray(refs.map((r) => r?.segmentId)),
  textArray(refs.map((r) => r?.source)),
  uuidArray(refs.map((r) => r?.leadId)),
];

const DELIVERY_EVENT_COLUMNS =
  'id, tenant_id, workspace_id, campaign_id, enrollment_id, step_id, variant_id, channel, test_mode';

/** The statements every send makes, coalesced (StatementBatcher) and prepared once per connection. */
const LOAD_MANY = new PreparedStatement<LoadedEnrollment>(
  'executor_load_enrollments',
  `SELECT ${ENROLLMENT_COLUMNS} WHERE e.id = ANY($1::uuid[])`,
);
export const CLAIM_MANY = new PreparedStatement<{ id: string }>(
  'executor_claim_deliveries',
  `WITH claim AS (
         INSERT INTO executor.deliveries
           (id, tenant_id, workspace_id, campaign_id, enrollment_id, step_id, step_index, variant_id,
            channel, recipient, test_mode)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[],
                              $7::int[], $8::text[], $9::text[], $10::text[], $11::boolean[])
         ON CONFLICT (enrollment_id, step_id) DO NOTHING RETURNING ${DELIVERY_EVENT_COLUMNS}),
       a AS (
         SELECT * FROM unnest($1::uuid[], $13::int[], $14::uuid[], $15::text[], $16::uuid[])
                  WITH ORDINALITY AS a(id, step_position, segment_id, source, lead_id, n)),
       event AS (${packedEvents(
         'claim',
         '$12',
         'JOIN a ON a.id = claim.id',
         messageEventSql({
           ...attributed('claim', 'a'),
           eventId: eventIdSql('$17', 'a.n'),
           type: `'${MessageEventTypes.queued}'`,
           occurredAt: '$18',
           extra: 'NULL',
         }),
         'a.n',
       )})
       SELECT id FROM claim`,
);
export const SETTLE_MANY = new PreparedStatement<{ id: string }>(
  'executor_settle_deliveries',
  `WITH u AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[],
                              $7::int[], $8::int[], $9::timestamptz[], $10::text[],
                              $15::int[], $16::uuid[], $17::text[], $18::uuid[])
           AS u(id, status, code, reason, provider_message_id, enrollment_id, from_step, to_step,
                run_at, end_status, step_position, segment_id, source, lead_id)),
       d AS (
         UPDATE executor.deliveries x
            SET status = u.status, code = u.code, reason = u.reason,
                provider_message_id = u.provider_message_id, finished_at = now()
           FROM u WHERE x.id = u.id AND x.status = 'claimed'
         RETURNING ${DELIVERY_EVENT_COLUMNS.replace(/(\w+)/g, 'x.$1')}),
       e AS (
         UPDATE executor.enrollments x
            SET step_index = u.to_step, next_run_at = greatest(u.run_at, now()),
                status = u.end_status, updated_at = now()
           FROM u JOIN d ON d.id = u.id
          WHERE x.id = u.enrollment_id AND x.step_index = u.from_step AND x.status = 'active'),
       ev AS (${packedEvents(
         'd',
         '$11',
         `JOIN u ON u.id = d.id
           JOIN ROWS FROM (unnest($12::uuid[]), unnest($13::text[]), unnest($14::text[]))
                WITH ORDINALITY AS pe(id, type, extra, n) ON pe.id = d.id`,
         messageEventSql({
           ...attributed('d', 'u'),
           eventId: eventIdSql('$19', 'pe.n'),
           type: 'pe.type',
           occurredAt: '$20',
           extra: 'pe.extra',
         }),
         'pe.n',
       )})
       SELECT id FROM d`,
);

export interface Advance {
  enrollmentId: string;
  fromStep: number;
  toStep: number;
  runAt: Date | null;
  /** Ends the sequence with this status instead (bounced, failed, stopped). */
  endStatus?: string;
}

/**
 * The delivery ledger: the claim (a unique row per enrollment and step, committed before the
 * channel is called) and the outcome (row, enrollment advance and events in one transaction).
 *
 * The three statements every send makes (load, claim, settle) are coalesced across concurrent
 * sends (StatementBatcher): each caller still gets its own answer only once its row is
 * committed, so a claim is durable before its channel call exactly as with one statement per
 * message; the worker just pays one round trip per batch.
 */
@Injectable()
export class DeliveryRepository {
  private readonly loads = new StatementBatcher<string, LoadedEnrollment | null>(
    { many: (ids) => this.loadMany(ids), one: (id) => this.loadOne(id) },
    BATCH_ROWS,
  );
  private readonly claims = new StatementBatcher<[Claim, MessageEventSpec], ClaimResult>(
    {
      many: (items) => this.claimMany(items),
      one: ([c, q]) => this.claimUnlimited(c, eventText(q)),
    },
    BATCH_ROWS,
  );
  private readonly settlements: StatementBatcher<Settlement, boolean>;

  constructor(
    private readonly ds: DataSource,
    @Inject(EXECUTOR_ENV) env: ExecutorEnv,
  ) {
    this.settlements = new StatementBatcher<Settlement, boolean>(
      { many: (items) => this.settleMany(items), one: (s) => this.settleOne(s) },
      BATCH_ROWS,
      2,
      env.SETTLE_LINGER_MS,
    );
  }

  load(enrollmentId: string): Promise<LoadedEnrollment | null> {
    return this.loads.run(enrollmentId);
  }

  private async loadOne(enrollmentId: string): Promise<LoadedEnrollment | null> {
    const rows = await this.ds.query(`SELECT ${ENROLLMENT_COLUMNS} WHERE e.id = $1`, [
      enrollmentId,
    ]);
    return rows[0] ?? null;
  }

  private async loadMany(ids: string[]): Promise<(LoadedEnrollment | null)[]> {
    const rows = await LOAD_MANY.rows(this.ds, [uuidArray(ids)]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Inserts the claim; with a daily limit, also takes one unit of the quota of `quotaDay` (the
   * day in the campaign's zone) in
   * the same transaction, guarded so the counter never passes the limit whatever the number of
   * replicas: a claim without quota is rolled back.
   */
  async claim(c: Claim, queued: MessageEventSpec): Promise<ClaimResult> {
    if (c.dailyLimit === null && c.frequencyCap === null) return this.claims.run([c, queued]);
    return this.ds
      .transaction(async (m) => {
        if (c.frequencyCap !== null) await this.takeFrequencySlot(m, c);
        const inserted = await m.query(
          `INSERT INTO executor.deliveries
           (id, tenant_id, workspace_id, campaign_id, enrollment_id, step_id, step_index, variant_id,
            channel, recipient, test_mode)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (enrollment_id, step_id) DO NOTHING RETURNING id`,
          [
            c.id,
            c.tenantId,
            c.workspaceId,
            c.campaignId,
            c.enrollmentId,
            c.stepId,
            c.stepIndex,
            c.variantId,
            c.channel,
            c.recipient,
            c.testMode,
          ],
        );
        if (!inserted.length) return 'exists';
        if (c.dailyLimit !== null) {
          const quota = await m.query(
            `INSERT INTO executor.daily_counters AS d (campaign_id, day, sent)
           VALUES ($1, $3::date, 1)
           ON CONFLICT (campaign_id, day) DO UPDATE SET sent = d.sent + 1 WHERE d.sent < $2
           RETURNING sent`,
            [c.campaignId, c.dailyLimit, c.quotaDay],
          );
          // Throwing rolls the claim back with the transaction.
          if (!quota.length) throw new DailyLimitReached();
        }
        await appendLinesToOutbox(m, SCHEMA, Topics.message, c.campaignId, [eventText(queued)]);
        return 'claimed';
      })
      .catch((err) => {
        if (err instanceof DailyLimitReached) return 'daily_limit' as const;
        if (err instanceof FrequencyCapReached) return 'frequency_cap' as const;
        throw err;
      });
  }

  /**
   * The frequency cap, exact with any number of replicas: claims to one address of one
   * workspace are serialised by a transaction-scoped advisory lock, so the count of the last
   * 24 hours and this claim cannot interleave with another replica's.
   */
  private async takeFrequencySlot(m: EntityManager, c: Claim): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(7301, hashtext($1))', [
      `${c.workspaceId}:${c.recipient}`,
    ]);
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM executor.deliveries
        WHERE workspace_id = $1 AND recipient = $2 AND channel = 'email' AND NOT test_mode
          AND status IN ('claimed', 'sent', 'uncertain') AND claimed_at > now() - interval '24 hours'`,
      [c.workspaceId, c.recipient],
    );
    if (n >= c.frequencyCap!) throw new FrequencyCapReached();
  }

  /** A step not sent because the contact may not be mailed: recorded, and the sequence ends. */
  async skip(c: Claim, reason: string, advance: Advance, event: MessageEventJson): Promise<void> {
    await this.ds.transaction(async (m) => {
      const inserted = await m.query(
        `INSERT INTO executor.deliveries
           (id, tenant_id, workspace_id, campaign_id, enrollment_id, step_id, step_index, variant_id,
            channel, recipient, test_mode, status, code, reason, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'skipped', 'SUPPRESSED', $12, now())
         ON CONFLICT (enrollment_id, step_id) DO NOTHING RETURNING id`,
        [
          c.id,
          c.tenantId,
          c.workspaceId,
          c.campaignId,
          c.enrollmentId,
          c.stepId,
          c.stepIndex,
          c.variantId,
          c.channel,
          c.recipient,
          c.testMode,
          reason,
        ],
      );
      await this.advance(m, advance);
      if (inserted.length)
        await appendLinesToOutbox(m, SCHEMA, Topics.message, c.campaignId, [event]);
    });
  }

  async suppress(
    tenantId: string,
    workspaceId: string,
    email: string,
    reason: string,
  ): Promise<void> {
    await this.ds.query(
      `INSERT INTO executor.suppressions (workspace_id, email, tenant_id, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, email) DO NOTHING`,
      [workspaceId, email.toLowerCase(), tenantId, reason],
    );
  }

  /** Without a quota, claim and its `message.queued` event are one statement (one round trip). */
  private async claimUnlimited(c: Claim, queued: MessageEventJson): Promise<ClaimResult> {
    const [{ n }] = await this.ds.query(
      `WITH claim AS (
         INSERT INTO executor.deliveries
           (id, tenant_id, workspace_id, campaign_id, enrollment_id, step_id, step_index, variant_id,
            channel, recipient, test_mode)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (enrollment_id, step_id) DO NOTHING RETURNING id),
       event AS (
         INSERT INTO executor.outbox (topic, message_key, payload)
         SELECT $12, $4, $13::jsonb FROM claim)
       SELECT count(*)::int AS n FROM claim`,
      [
        c.id,
        c.tenantId,
        c.workspaceId,
        c.campaignId,
        c.enrollmentId,
        c.stepId,
        c.stepIndex,
        c.variantId,
        c.channel,
        c.recipient,
        c.testMode,
        Topics.message,
        queued,
      ],
    );
    return n ? 'claimed' : 'exists';
  }

  /**
   * Many claims without quota in one statement; the rows that already existed say `exists`.
   * Their `message.queued` events, written by the statement itself (messageEventSql), go into
   * one outbox row per campaign, one event per line, which the relay publishes as separate
   * messages in order: one outbox insert and delete per batch, not per message.
   */
  private async claimMany(items: [Claim, MessageEventSpec][]): Promise<ClaimResult[]> {
    const rows = await CLAIM_MANY.rows(this.ds, claimManyValues(items));
    const claimed = new Set(rows.map((r) => r.id));
    return items.map(([c]) => (claimed.has(c.id) ? 'claimed' : 'exists'));
  }

  /** A temporary failure: the message was not handed over, so the claim is withdrawn. */
  async release(c: Claim): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [, deleted] = await m.query(
        "DELETE FROM executor.deliveries WHERE id = $1 AND status = 'claimed'",
        [c.id],
      );
      if (deleted && c.dailyLimit !== null) {
        await m.query(
          `UPDATE executor.daily_counters SET sent = sent - 1
            WHERE campaign_id = $1 AND day = $2::date AND sent > 0`,
          [c.campaignId, c.quotaDay],
        );
      }
    });
  }

  /**
   * Records the outcome unless the claim was already settled (e.g. marked uncertain), with the
   * enrollment's advance and the events: one statement, so one round trip and atomic.
   */
  settle(
    deliveryId: string,
    outcome: Outcome,
    advance: Advance,
    events: MessageEventSpec[],
  ): Promise<boolean> {
    return this.settlements.run({ deliveryId, outcome, advance, events });
  }

  private async settleOne({
    deliveryId,
    outcome,
    advance: a,
    events,
  }: Settlement): Promise<boolean> {
    const [{ n }] = await this.ds.query(
      `WITH d AS (
         UPDATE executor.deliveries
            SET status = $2, code = $3, reason = $4, provider_message_id = $5, finished_at = now()
          WHERE id = $1 AND status = 'claimed' RETURNING campaign_id),
       e AS (
         UPDATE executor.enrollments
            SET step_index = $8, next_run_at = greatest($9::timestamptz, now()), status = $10, updated_at = now()
          WHERE id = $6 AND step_index = $7 AND status = 'active' AND EXISTS (SELECT 1 FROM d)),
       ev AS (
         INSERT INTO executor.outbox (topic, message_key, payload)
         SELECT $11, d.campaign_id::text, p FROM d, unnest($12::jsonb[]) AS p)
       SELECT count(*)::int AS n FROM d`,
      [
        deliveryId,
        outcome.status,
        outcome.code ?? null,
        outcome.reason?.slice(0, 1000) ?? null,
        outcome.providerMessageId ?? null,
        a.enrollmentId,
        a.fromStep,
        a.toStep,
        a.runAt,
        a.endStatus ?? (a.runAt ? 'active' : 'completed'),
        Topics.message,
        events.map(eventText),
      ],
    );
    return n > 0;
  }

  /**
   * Many outcomes in one statement, same rules as settleOne; true where this call settled it.
   * The events are written by the statement and packed into one outbox row per campaign, as
   * in claimMany.
   */
  private async settleMany(items: Settlement[]): Promise<boolean[]> {
    const rows = await SETTLE_MANY.rows(this.ds, settleManyValues(items));
    const settled = new Set(rows.map((r) => r.id));
    return items.map((s) => settled.has(s.deliveryId));
  }

  /** Moves the enrollment past a step, only if it is still active at that step. */
  async advance(m: EntityManager, a: Advance): Promise<void> {
    const status = a.endStatus ?? (a.runAt ? 'active' : 'completed');
    await m.query(
      `UPDATE executor.enrollments
          SET step_index = $3, next_run_at = greatest($4::timestamptz, now()), status = $5, updated_at = now()
        WHERE id = $1 AND step_index = $2 AND status = 'active'`,
      [a.enrollmentId, a.fromStep, a.toStep, a.runAt, status],
    );
  }

  async advanceNow(a: Advance): Promise<void> {
    await this.advance(this.ds.manager, a);
  }

  /** Postpones an enrollment's current step (send window, daily limit, pause). */
  async postpone(enrollmentId: string, stepIndex: number, until: Date): Promise<void> {
    await this.ds.query(
      `UPDATE executor.enrollments SET next_run_at = greatest($3::timestamptz, now()), updated_at = now()
        WHERE id = $1 AND step_index = $2 AND status = 'active'`,
      [enrollmentId, stepIndex, until],
    );
  }

  async existing(enrollmentId: string, stepId: string): Promise<{ status: string } | null> {
    const rows = await this.ds.query(
      'SELECT status FROM executor.deliveries WHERE enrollment_id = $1 AND step_id = $2',
      [enrollmentId, stepId],
    );
    return rows[0] ?? null;
  }

  async sentInLastDay(
    workspaceId: string,
    recipient: string,
  ): Promise<{ count: number; oldest: Date | null }> {
    const [row] = await this.ds.query(
      `SELECT count(*)::int AS count, min(claimed_at) AS oldest FROM executor.deliveries
        WHERE workspace_id = $1 AND recipient = $2 AND channel = 'email' AND NOT test_mode
          AND status IN ('claimed', 'sent', 'uncertain') AND claimed_at > now() - interval '24 hours'`,
      [workspaceId, recipient],
    );
    return row;
  }

  async engagementOf(enrollmentId: string, beforeStep: number) {
    const rows = await this.ds.query(
      `SELECT opened_at, clicked_at, replied_at FROM executor.deliveries
        WHERE enrollment_id = $1 AND step_index < $2 AND channel = 'email'
        ORDER BY step_index DESC LIMIT 1`,
      [enrollmentId, beforeStep],
    );
    return rows[0] ?? null;
  }
}

/** CLAIM_MANY's parameters. */
export function claimManyValues(items: [Claim, MessageEventSpec][]): unknown[] {
  const col = <T>(f: (c: Claim) => T) => items.map(([c]) => f(c));
  return [
    uuidArray(col((c) => c.id)),
    uuidArray(col((c) => c.tenantId)),
    uuidArray(col((c) => c.workspaceId)),
    uuidArray(col((c) => c.campaignId)),
    uuidArray(col((c) => c.enrollmentId)),
    uuidArray(col((c) => c.stepId)),
    int4Array(col((c) => c.stepIndex)),
    textArray(col((c) => c.variantId)),
    textArray(col((c) => c.channel)),
    textArray(col((c) => c.recipient)),
    boolArray(col((c) => c.testMode)),
    Topics.message,
    ...attributionColumns(items.map(([, queued]) => queued.ref)),
    uuidv7Prefix(),
    new Date().toISOString(),
  ];
}

/** SETTLE_MANY's parameters. */
export function settleManyValues(items: Settlement[]): unknown[] {
  const col = <T>(f: (s: Settlement) => T) => items.map(f);
  const events = <T>(f: (s: Settlement, e: MessageEventSpec) => T) =>
    items.flatMap((s) => s.events.map((e) => f(s, e)));
  return [
    uuidArray(col((s) => s.deliveryId)),
    textArray(col((s) => s.outcome.status)),
    textArray(col((s) => s.outcome.code)),
    textArray(col((s) => s.outcome.reason?.slice(0, 1000))),
    textArray(col((s) => s.outcome.providerMessageId)),
    uuidArray(col((s) => s.advance.enrollmentId)),
    int4Array(col((s) => s.advance.fromStep)),
    int4Array(col((s) => s.advance.toStep)),
    timestamptzArray(col((s) => s.advance.runAt)),
    textArray(col((s) => s.advance.endStatus ?? (s.advance.runAt ? 'active' : 'completed'))),
    Topics.message,
    uuidArray(events((s) => s.deliveryId)),
    textArray(events((_, e) => e.type)),
    textArray(events((_, e) => extraFields(e.extra) || null)),
    ...attributionColumns(items.map((s) => s.events[0]?.ref)),
    uuidv7Prefix(),
    new Date().toISOString(),
  ];
}

class DailyLimitReached extends Error {}
class FrequencyCapReached extends Error {}
