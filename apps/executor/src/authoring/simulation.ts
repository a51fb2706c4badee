import { SimulationStepCount, StepView } from '@app/contracts';
import { nextWindowOpening, zoneFor } from '../limits/send-window';
import { RunSettings, SENDING_STEP_TYPES } from '../runs/run-snapshot';
import { nextPosition } from '../sending/sequence';
import { dayIn, nextMidnightIn } from '../limits/daily-limit-day';
import { inTestShare } from '../ab-test/ab-rules';
import { chooseVariant } from '../sending/variant';

export interface SimContact {
  id: string;
  email: string;
  timezone: string | null;
  /** Times of this address's sends in the 24 h before the start, across the workspace. */
  recentSends?: number[];
}

export interface SimInput {
  steps: StepView[];
  settings: RunSettings;
  /** The zone dailyLimit counts days in (the campaign's schedule.timezone, else UTC). */
  quotaTimezone?: string;
  contacts: SimContact[];
  start: Date;
  minuteMs: number;
  frequencyCapPerDay: number;
  sampleIds: Set<string>;
  /** The A/B winner flow, when the run has one: the rest waits for the decision. */
  abTest?: { stepIndex: number; testPercentage: number; decideAfterMs: number };
}

export interface SimOutput {
  steps: SimulationStepCount[];
  perDay: Map<string, SimulationStepCount[]>;
  sends: number;
  firstSendAt: number | null;
  lastSendAt: number | null;
  timelines: Map<
    string,
    Array<{ stepId: string; position: number; at: number; variant: string | null }>
  >;
  abTest: { decideAt: number | null; testShare: number; afterDecision: number } | null;
}

/** The timeline's variant for a contact held for the A/B decision: unknown until then. */
export const WINNER_LABEL = 'winner';

interface Due {
  at: number;
  contact: number;
  step: number;
  /** Insertion order: at equal times, what became due first goes first, as in the dispatcher. */
  seq?: number;
}

/** A binary min-heap of due steps by time, first-come first-served at equal times. */
class DueHeap {
  private readonly items: Due[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Due | undefined {
    return this.items[0];
  }
  private seq = 0;
  /** Takes `d` over (its seq is set here): callers pass a popped entry or a fresh one. */
  push(d: Due): void {
    const a = this.items;
    d.seq = this.seq++;
    a.push(d);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): Due | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
  private less(x: Due, y: Due): boolean {
    return x.at < y.at || (x.at === y.at && x.seq! < y.seq!);
  }
}

/**
 * Plays a campaign forward with the executor's own rules (sequence.ts waits, send windows in
 * each contact's zone, the dailyLimit day in the campaign's zone, the per-contact frequency cap,
 * A/B choice and hold),
 * without sending anything. Steps held back by a full day wait in a FIFO until a day has room,
 * so a small limit over a large audience costs one touch per contact per sending day, not one
 * per contact per day of the whole plan.
 */
export function simulate(input: SimInput): SimOutput {
  const { steps, settings, contacts } = input;
  const zone = input.quotaTimezone ?? 'UTC';
  const dayOf = (t: number) => dayIn(new Date(t), zone);
  const counts = new Map<string, { sends: number; variants: Map<string, number> }>();
  const perDay = new Map<string, Map<string, { sends: number; variants: Map<string, number> }>>();
  const timelines = new Map<
    string,
    SimOutput['timelines'] extends Map<string, infer V> ? V : never
  >();
  const recent = contacts.map((c) => [...(c.recentSends ?? [])]);
  const heap = new DueHeap();
  const held: Due[] = [];
  const sentOnDay = new Map<string, number>();
  const limit = settings.dailyLimit ?? Infinity;
  const cap = input.frequencyCapPerDay > 0 ? input.frequencyCapPerDay : Infinity;
  const window = settings.sendWindow;
  let sends = 0;
  let firstSendAt: number | null = null;
  let lastSendAt: number | null = null;
  const ab = input.abTest;
  const abOut = ab ? { decideAt: null as number | null, testShare: 0, afterDecision: 0 } : null;

  const first = nextPosition(steps, -1, input.start, input.minuteMs);
  if (first.runAt)
    contacts.forEach((_, i) =>
      heap.push({ at: first.runAt!.getTime(), contact: i, step: first.stepIndex }),
    );

  // Many contacts share a zone and a due time (launch, midnight, a window opening): the window
  // answer depends only on those two, and time-zone math is the costly part of the plan.
  const openings = new Map<string, number | null>();
  const openingFor = (tz: string, at: number): number | null => {
    const key = `${tz}|${at}`;
    let opening = openings.get(key);
    if (opening === undefined) {
      if (openings.size > 200_000) openings.clear();
      opening = nextWindowOpening(window!, tz, new Date(at))?.getTime() ?? null;
      openings.set(key, opening);
    }
    return opening;
  };

  const bump = (
    map: Map<string, { sends: number; variants: Map<string, number> }>,
    stepId: string,
    variant: string | null,
  ) => {
    const entry = map.get(stepId) ?? { sends: 0, variants: new Map<string, number>() };
    entry.sends++;
    if (variant) entry.variants.set(variant, (entry.variants.get(variant) ?? 0) + 1);
    map.set(stepId, entry);
  };

  const advance = (d: Due, at: number) => {
    const next = nextPosition(steps, d.step, new Date(at), input.minuteMs);
    if (next.runAt)
      heap.push({ at: next.runAt.getTime(), contact: d.contact, step: next.stepIndex });
  };

  /** Tries to send `d` at `at`; false when the day is full (the caller holds it back). */
  const attempt = (d: Due, at: number): boolean => {
    const step = steps[d.step];
    if (!SENDING_STEP_TYPES.includes(step.type)) {
      // Conditions are taken as met: the plan cannot know future opens and clicks.
      advance(d, at);
      return true;
    }
    const contact = contacts[d.contact];
    if (window && step.type === 'email') {
      const opening = openingFor(zoneFor(contact.timezone, window), at);
      if (opening !== null) {
        d.at = opening;
        heap.push(d);
        return true;
      }
    }
    // The A/B clock starts with the first arrival at the A/B step; the rest waits for it.
    const held = ab?.stepIndex === d.step && !inTestShare(contact.id, ab.testPercentage);
    if (ab && abOut && ab.stepIndex === d.step) {
      abOut.decideAt ??= at + ab.decideAfterMs;
      if (held && at < abOut.decideAt) {
        d.at = abOut.decideAt;
        heap.push(d);
        return true;
      }
    }
    if (step.type === 'email' && cap !== Infinity) {
      const times = recent[d.contact].filter((t) => t > at - 86_400_000);
      recent[d.contact] = times;
      if (times.length >= cap) {
        d.at = Math.min(...times) + 86_400_000;
        heap.push(d);
        return true;
      }
    }
    const day = dayOf(at);
    if ((sentOnDay.get(day) ?? 0) >= limit) return false;
    sentOnDay.set(day, (sentOnDay.get(day) ?? 0) + 1);
    const variant = held ? null : chooseVariant(step.variants ?? [], contact.id);
    if (abOut && ab?.stepIndex === d.step) abOut[held ? 'afterDecision' : 'testShare']++;
    bump(counts, step.id, variant?.id ?? null);
    const dayMap = perDay.get(day) ?? new Map();
    bump(dayMap, step.id, variant?.id ?? null);
    perDay.set(day, dayMap);
    if (step.type === 'email') recent[d.contact].push(at);
    sends++;
    firstSendAt = firstSendAt === null ? at : Math.min(firstSendAt, at);
    lastSendAt = lastSendAt === null ? at : Math.max(lastSendAt, at);
    if (input.sampleIds.has(contact.id)) {
      const line = timelines.get(contact.id) ?? [];
      const name = held ? WINNER_LABEL : (variant?.name ?? null);
      line.push({ stepId: step.id, position: step.position, at, variant: name });
      timelines.set(contact.id, line);
    }
    advance(d, at);
    return true;
  };

  const midnightAfter = (t: number) => nextMidnightIn(new Date(t), zone).getTime();
  while (heap.size || held.length) {
    const nextDue = heap.peek()?.at ?? Infinity;
    const nextHeld = held.length ? held[0].at : Infinity;
    if (nextHeld <= nextDue) {
      // A new quota day: the held steps go first, in order, until the day fills up again.
      const batch = held.splice(0);
      for (let i = 0; i < batch.length; i++) {
        if (!attempt(batch[i], batch[i].at)) {
          const tomorrow = midnightAfter(batch[i].at);
          for (let j = i; j < batch.length; j++) {
            batch[j].at = tomorrow;
            held.push(batch[j]);
          }
          break;
        }
      }
      continue;
    }
    const d = heap.pop()!;
    if (held.length || !attempt(d, d.at)) {
      d.at = midnightAfter(d.at);
      held.push(d);
    }
  }

  const toCounts = (
    map: Map<string, { sends: number; variants: Map<string, number> }>,
  ): SimulationStepCount[] =>
    steps
      .filter((s) => map.has(s.id))
      .map((s) => ({
        stepId: s.id,
        position: s.position,
        name: s.name,
        sends: map.get(s.id)!.sends,
        variants: (s.variants ?? []).map((v) => ({
          variantId: v.id,
          name: v.name,
          sends: map.get(s.id)!.variants.get(v.id) ?? 0,
        })),
      }));
  return {
    steps: toCounts(counts),
    perDay: new Map(
      [...perDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, m]) => [day, toCounts(m)]),
    ),
    sends,
    firstSendAt,
    lastSendAt,
    timelines,
    abTest: abOut,
  };
}
