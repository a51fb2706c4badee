import { StepView } from '@app/contracts';

const MINUTES: Record<string, number> = { minutes: 1, hours: 60, days: 1440 };

/** Where a contact goes after finishing step `from` (-1 = just enrolled). */
export interface NextPosition {
  stepIndex: number;
  /** Null when the sequence is over. */
  runAt: Date | null;
}

/**
 * Wait steps are not jobs: moving past them just pushes `next_run_at` later. `minuteMs` is how
 * long a minute lasts (60000 in production, shorter in tests: EXECUTOR_MINUTE_MS).
 */
export function nextPosition(
  steps: Pick<StepView, 'type' | 'delay'>[],
  from: number,
  now: Date,
  minuteMs: number,
): NextPosition {
  let at = now.getTime();
  let i = from + 1;
  while (i < steps.length && steps[i].type === 'wait') {
    const delay = steps[i].delay;
    if (delay) at += delay.amount * (MINUTES[delay.unit] ?? 1) * minuteMs;
    i++;
  }
  if (i >= steps.length) return { stepIndex: steps.length, runAt: null };
  return { stepIndex: i, runAt: new Date(at) };
}
