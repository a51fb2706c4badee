import { uuidv7 } from '@app/common';
import { MessageEventTypes } from '@app/contracts';
import { TEST_DB } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  Claim,
  CLAIM_MANY,
  claimManyValues,
  SETTLE_MANY,
  settleManyValues,
  Settlement,
} from '../apps/executor/src/sending/delivery.repository';
import {
  DeliveryRef,
  eventText,
  MessageEventSpec,
} from '../apps/executor/src/sending/message-events';
import { CampaignRun } from '../apps/executor/src/runs/run-snapshot';

/**
 * The set-based claim and settle statements write their events' JSON in SQL; a statement for
 * one send writes them in JS (`messageEvent`). Consumers must not be able to tell which wrote an
 * event: on real Postgres, each line the statements put in the outbox must be the text
 * `messageEvent` makes for the same event, byte for byte, but for its id and instant. The work
 * runs in a transaction that is rolled back, so the stack's outbox relay never sees it.
 */
describe('message events written in SQL', () => {
  const ds = new DataSource({
    type: 'postgres',
    url: `postgres://postgres@127.0.0.1:5432/${TEST_DB}`,
    poolSize: 2,
  });
  const run = {
    campaignId: randomUUID(),
    tenantId: randomUUID(),
    workspaceId: randomUUID(),
  } as CampaignRun;

  beforeAll(() => ds.initialize());
  afterAll(() => ds.destroy());

  const ref = (over: Partial<DeliveryRef>): DeliveryRef => ({
    deliveryId: uuidv7(),
    enrollmentId: randomUUID(),
    stepId: randomUUID(),
    stepPosition: 1,
    variantId: null,
    channel: 'email',
    segmentId: null,
    source: null,
    testMode: false,
    leadId: randomUUID(),
    ...over,
  });
  const claimOf = (r: DeliveryRef, stepId = r.stepId): Claim => ({
    id: r.deliveryId,
    tenantId: run.tenantId,
    workspaceId: run.workspaceId,
    campaignId: run.campaignId,
    enrollmentId: r.enrollmentId,
    stepId,
    stepIndex: r.stepPosition - 1,
    variantId: r.variantId,
    channel: r.channel,
    recipient: 'someone@example.com',
    testMode: r.testMode,
    dailyLimit: null,
    quotaDay: null,
    frequencyCap: null,
  });
  const settlement = (r: DeliveryRef, events: MessageEventSpec[]): Settlement => ({
    deliveryId: r.deliveryId,
    outcome: { status: 'sent' },
    advance: { enrollmentId: r.enrollmentId, fromStep: 0, toStep: 1, runAt: null },
    events,
  });

  /** The event with its id and instant replaced, so two writings of it compare as text. */
  const comparable = (line: string) =>
    line
      .replace(/^\{"eventId":"[0-9a-f-]{36}",/, '{"eventId":"<id>",')
      .replace(/"occurredAt":"[^"]+"/, '"occurredAt":"<at>"');

  const outboxLines = async (m: EntityManager): Promise<string[]> => {
    const rows: { lines: string; line_count: number }[] = await m.query(
      'SELECT lines, line_count FROM executor.outbox WHERE message_key = $1 ORDER BY id',
      [run.campaignId],
    );
    const lines = rows.flatMap((r) => r.lines.split('\n'));
    expect(lines).toHaveLength(rows.reduce((n, r) => n + r.line_count, 0));
    return lines;
  };

  it('claims and outcomes give the same text as messageEvent, escapes and nulls included', async () => {
    const refs = [
      ref({}),
      ref({
        stepPosition: 3,
        variantId: 'B "quoted"\nline\\',
        segmentId: randomUUID(),
        source: 'web\tform "ünïcode" \u0001',
        testMode: true,
      }),
      ref({ channel: 'webhook', source: 'api', stepPosition: 2 }),
      ref({ variantId: 'A' }),
    ];
    const [plain, tricky, hook, bounced] = refs;
    const claims: [Claim, MessageEventSpec][] = refs.map((r) => [
      claimOf(r),
      { run, ref: r, type: MessageEventTypes.queued },
    ]);
    const outcomes: Settlement[] = [
      settlement(plain, [
        { run, ref: plain, type: MessageEventTypes.sent, extra: { providerMessageId: '<a"b>' } },
      ]),
      settlement(tricky, [
        {
          run,
          ref: tricky,
          type: MessageEventTypes.failed,
          extra: { code: 'SMTP_4XX', reason: 'gave up:\r\n"451" \\ later', permanent: true },
        },
      ]),
      settlement(hook, [{ run, ref: hook, type: MessageEventTypes.sent, extra: {} }]),
      settlement(bounced, [
        { run, ref: bounced, type: MessageEventTypes.sent },
        {
          run,
          ref: bounced,
          type: MessageEventTypes.bounced,
          extra: { code: 'SMTP_550', reason: 'no such user', permanent: true },
        },
      ]),
    ];
    const rollback = new Error('rollback');
    let claimedLines: string[] = [];
    let settledLines: string[] = [];
    await ds
      .transaction(async (m) => {
        const claimed = await CLAIM_MANY.rows(m, claimManyValues(claims));
        expect(claimed.map((r) => r.id).sort()).toEqual(refs.map((r) => r.deliveryId).sort());
        claimedLines = await outboxLines(m);
        const settled = await SETTLE_MANY.rows(m, settleManyValues(outcomes));
        expect(settled).toHaveLength(outcomes.length);
        settledLines = (await outboxLines(m)).slice(claimedLines.length);
        throw rollback;
      })
      .catch((err) => {
        if (err !== rollback) throw err;
      });

    expect(claimedLines.map(comparable)).toEqual(claims.map(([, q]) => comparable(eventText(q))));
    const events = outcomes.flatMap((s) => s.events);
    expect(settledLines.map(comparable)).toEqual(events.map((e) => comparable(eventText(e))));
    // Each event its own id, a UUIDv7; each instant the ISO text Date writes.
    const parsed = [...claimedLines, ...settledLines].map((l) => JSON.parse(l));
    expect(new Set(parsed.map((e) => e.eventId)).size).toBe(parsed.length);
    for (const e of parsed) {
      expect(e.eventId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(new Date(e.occurredAt).toISOString()).toBe(e.occurredAt);
    }
  });

  it('writes no event for a claim that already existed, nor for an outcome already recorded', async () => {
    const r = ref({});
    const first: [Claim, MessageEventSpec] = [
      claimOf(r),
      { run, ref: r, type: MessageEventTypes.queued },
    ];
    // The same enrollment and step again, under a new delivery id: ON CONFLICT skips it.
    const again = ref({ enrollmentId: r.enrollmentId, stepId: r.stepId });
    const second: [Claim, MessageEventSpec] = [
      claimOf(again),
      { run, ref: again, type: MessageEventTypes.queued },
    ];
    const rollback = new Error('rollback');
    await ds
      .transaction(async (m) => {
        const claimed = await CLAIM_MANY.rows(m, claimManyValues([first, second]));
        expect(claimed.map((c) => c.id)).toEqual([r.deliveryId]);
        const sent = settlement(r, [{ run, ref: r, type: MessageEventTypes.sent }]);
        expect(await SETTLE_MANY.rows(m, settleManyValues([sent]))).toHaveLength(1);
        // Settled already: the second outcome changes nothing and writes no event.
        expect(await SETTLE_MANY.rows(m, settleManyValues([sent]))).toHaveLength(0);
        const lines = (await outboxLines(m)).map((l) => JSON.parse(l));
        expect(lines.map((e) => [e.type, e.data.deliveryId])).toEqual([
          ['message.queued', r.deliveryId],
          ['message.sent', r.deliveryId],
        ]);
        throw rollback;
      })
      .catch((err) => {
        if (err !== rollback) throw err;
      });
  });
});
