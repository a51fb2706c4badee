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

/** A `message.*` event about one delivery, keyed (in the outbox) by campaign id. */
export function messageEvent(
  run: CampaignRun,
  ref: DeliveryRef,
  type: string,
  extra: MessageEventExtra = {},
): MessageEventJson {
  const more = JSON.stringify(extra);
  const attributed = attribution(ref);
  // The attribution always has fields, so the extra ones go in before its closing brace.
  const data = more === '{}' ? attributed : `${attributed.slice(0, -1)},${more.slice(1)}`;
  const lead = ref.leadId === undefined ? '' : `,"leadId":${JSON.stringify(ref.leadId)}`;
  return `{"eventId":"${uuidv7()}",${head(run, type)},"occurredAt":"${now()}"${lead},"data":${data}}` as MessageEventJson;
}
