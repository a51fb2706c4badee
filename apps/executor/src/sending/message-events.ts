import { uuidv7 } from '@app/common';
import { DeliveryAttribution, MessageEventData } from '@app/contracts';
import { CampaignRun } from '../runs/run-snapshot';

export interface DeliveryRef extends DeliveryAttribution {
  leadId: string;
}

/** What a `message.*` event adds to the delivery's attribution (code, reason, provider id). */
export type MessageEventExtra = Omit<MessageEventData, keyof DeliveryAttribution>;

/**
 * A `message.*` event as the JSON text of its envelope (the shape `buildEvent` makes), ready
 * for the outbox, which stores and publishes it as it is.
 */
export type MessageEventJson = string & { readonly __messageEventJson: never };

/**
 * The envelope's fields that depend only on the run and the event type, as JSON text, kept
 * per run. Every message makes two events, so writing them from these pieces, instead of
 * building an envelope object per event and `JSON.stringify`ing it, allocates less; the old way
 * was ~5 % of the main thread's profile samples (docs/executor.md, "Ninth pass").
 */
const heads = new WeakMap<CampaignRun, Map<string, string>>();
/** The delivery's attribution as JSON text, shared by the events of one send. */
const attributions = new WeakMap<DeliveryRef, string>();

let isoMs = NaN;
let iso = '';

function now(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    iso = new Date(ms).toISOString();
  }
  return iso;
}

function head(run: CampaignRun, type: string): string {
  let byType = heads.get(run);
  if (!byType) heads.set(run, (byType = new Map()));
  let text = byType.get(type);
  if (text === undefined) {
    text =
      `"type":${JSON.stringify(type)},"version":1,"tenantId":${JSON.stringify(run.tenantId)}` +
      `,"workspaceId":${JSON.stringify(run.workspaceId)},"campaignId":${JSON.stringify(run.campaignId)}`;
    byType.set(type, text);
  }
  return text;
}

/** Written field by field: a rest copy of `ref` and `JSON.stringify` of it were ~2.5 % of the main thread's samples. */
function attribution(ref: DeliveryRef): string {
  let json = attributions.get(ref);
  if (json === undefined) {
    json =
      `{"deliveryId":${JSON.stringify(ref.deliveryId)},"enrollmentId":${JSON.stringify(ref.enrollmentId)}` +
      `,"stepId":${JSON.stringify(ref.stepId)},"stepPosition":${JSON.stringify(ref.stepPosition)}` +
      `,"variantId":${JSON.stringify(ref.variantId ?? null)},"channel":${JSON.stringify(ref.channel)}` +
      `,"segmentId":${JSON.stringify(ref.segmentId ?? null)},"source":${JSON.stringify(ref.source ?? null)}` +
      `,"testMode":${ref.testMode === true}}`;
    attributions.set(ref, json);
  }
  return json;
}

/**
 * The extra fields as the JSON text that follows the attribution's last field inside `data`
 * (`,"code":"…","reason":"…"`), or '' when there are none.
 */
export function extraFields(extra: MessageEventExtra = {}): string {
  const more = JSON.stringify(extra);
  return more === '{}' ? '' : `,${more.slice(1, -1)}`;
}

/** A `message.*` event about one delivery, keyed (in the outbox) by campaign id. */
export function messageEvent(
  run: CampaignRun,
  ref: DeliveryRef,
  type: string,
  extra: MessageEventExtra = {},
): MessageEventJson {
  const more = extraFields(extra);
  const attributed = attribution(ref);
  // The attribution always has fields, so the extra ones go in before its closing brace.
  const data = more ? `${attributed.slice(0, -1)}${more}}` : attributed;
  const lead = ref.leadId === undefined ? '' : `,"leadId":${JSON.stringify(ref.leadId)}`;
  return `{"eventId":"${uuidv7()}",${head(run, type)},"occurredAt":"${now()}"${lead},"data":${data}}` as MessageEventJson;
}

/**
 * A message event not written yet. The set-based send statements write it in SQL
 * (`messageEventSql`), from the columns they already have and a few more; a statement for one
 * send writes `messageEvent`'s text. The two texts are the same (test/message-event-sql).
 */
export interface MessageEventSpec {
  run: CampaignRun;
  ref: DeliveryRef;
  type: string;
  extra?: MessageEventExtra;
}

export const eventText = (e: MessageEventSpec): MessageEventJson =>
  messageEvent(e.run, e.ref, e.type, e.extra);

/** SQL expressions (column names or parameters) for each part of an event. */
export interface MessageEventSqlParts {
  /** The event's id as text. */
  eventId: string;
  type: string;
  tenantId: string;
  workspaceId: string;
  campaignId: string;
  /** The instant as ISO 8601 text, as `Date.toISOString` writes it. */
  occurredAt: string;
  leadId: string;
  deliveryId: string;
  enrollmentId: string;
  stepId: string;
  stepPosition: string;
  variantId: string;
  channel: string;
  segmentId: string;
  source: string;
  testMode: string;
  /** `extraFields`' text, or NULL for none. */
  extra: string;
}

/**
 * The SQL expression that writes a message event's JSON text as `messageEvent` does, field for
 * field and in the same order, for statements that write many sends' events at once. Building
 * them in JS and sending them as a parameter cost about a fifth of bench/send's CPU: two
 * ~600-byte texts per message built, joined, written to Postgres and split there again
 * (docs/executor.md, "Twelfth pass"). Ids go between quotes as they are, since a uuid's text
 * holds no character JSON escapes; every other text goes through `to_json`, whose escapes are
 * JSON.stringify's. No part can be NULL: a NULL would make the whole line NULL, and the event
 * would be lost. One difference: a lead id that is not known is written as null, where
 * `messageEvent` leaves the field out; the send paths always know it.
 */
export function messageEventSql(p: MessageEventSqlParts): string {
  const text = (e: string) => `coalesce(to_json((${e})::text)::text, 'null')`;
  const id = (e: string) => `coalesce('"' || (${e})::text || '"', 'null')`;
  return `'{"eventId":"' || ${p.eventId} || '","type":' || ${text(p.type)}
       || ',"version":1,"tenantId":' || ${id(p.tenantId)} || ',"workspaceId":' || ${id(p.workspaceId)}
       || ',"campaignId":' || ${id(p.campaignId)} || ',"occurredAt":"' || ${p.occurredAt}
       || '","leadId":' || ${id(p.leadId)} || ',"data":{"deliveryId":' || ${id(p.deliveryId)}
       || ',"enrollmentId":' || ${id(p.enrollmentId)} || ',"stepId":' || ${id(p.stepId)}
       || ',"stepPosition":' || coalesce((${p.stepPosition})::text, 'null')
       || ',"variantId":' || ${text(p.variantId)} || ',"channel":' || ${text(p.channel)}
       || ',"segmentId":' || ${id(p.segmentId)} || ',"source":' || ${text(p.source)}
       || ',"testMode":' || CASE WHEN ${p.testMode} THEN 'true' ELSE 'false' END
       || coalesce(${p.extra}, '') || '}}'`;
}
