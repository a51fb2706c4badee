import { ConflictError, ValidationError } from '@app/common';
import { CampaignStatus } from '@app/contracts';

/**
 * The campaign state machine: one table, every transition goes through `nextStatus`.
 * `launch` goes to `scheduled` when a future start is given, else `active`; `start` is what
 * the scheduler does when a scheduled campaign's time comes; `end` is what happens when a
 * campaign's `schedule.endDate` passes before it has finished (CampaignEndSweeper).
 */
export type CampaignAction =
  | 'launch'
  | 'schedule'
  | 'unschedule'
  | 'start'
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'complete'
  | 'fail'
  | 'miss'
  | 'end';

export const TRANSITIONS: Record<
  CampaignStatus,
  Partial<Record<CampaignAction, CampaignStatus>>
> = {
  draft: { launch: 'active', schedule: 'scheduled', cancel: 'cancelled' },
  scheduled: {
    launch: 'active',
    schedule: 'scheduled',
    start: 'active',
    unschedule: 'draft',
    cancel: 'cancelled',
    fail: 'failed',
    miss: 'schedule_missed',
    end: 'completed',
  },
  // Never sent late on its own: a user launches it now, schedules it again, or cancels it.
  schedule_missed: {
    launch: 'active',
    schedule: 'scheduled',
    cancel: 'cancelled',
    end: 'completed',
  },
  active: {
    pause: 'paused',
    complete: 'completed',
    cancel: 'cancelled',
    fail: 'failed',
    end: 'completed',
  },
  paused: { resume: 'active', cancel: 'cancelled', fail: 'failed', end: 'completed' },
  completed: {},
  cancelled: {},
  failed: { cancel: 'cancelled' },
};

const VERBS: Record<CampaignAction, string> = {
  launch: 'launch',
  schedule: 'schedule',
  unschedule: 'unschedule',
  start: 'start',
  pause: 'pause',
  resume: 'resume',
  cancel: 'cancel',
  complete: 'complete',
  fail: 'fail',
  miss: 'mark as missed',
  end: 'end',
};

export function nextStatus(current: CampaignStatus, action: CampaignAction): CampaignStatus {
  const to = TRANSITIONS[current]?.[action];
  if (!to) {
    const allowed = Object.keys(TRANSITIONS[current] ?? {});
    throw new ConflictError(
      'INVALID_TRANSITION',
      `Cannot ${VERBS[action]} a campaign that is ${current}` +
        (allowed.length
          ? ` (allowed from ${current}: ${allowed.join(', ')})`
          : ` (${current} is final)`),
      [
        {
          field: 'status',
          message: `current status is ${current}`,
          currentStatus: current,
          action,
        },
      ],
    );
  }
  return to;
}

/** `PATCH /status {status}`: which action leads from the current status to the requested one. */
export function actionForTarget(current: CampaignStatus, target: CampaignStatus): CampaignAction {
  switch (target) {
    case 'active':
      return current === 'paused' ? 'resume' : 'launch';
    case 'paused':
      return 'pause';
    case 'cancelled':
      return 'cancel';
    case 'completed':
      return 'complete';
    case 'draft':
      return 'unschedule';
    case 'scheduled':
      throw new ValidationError('To schedule a campaign, POST /launch with a future scheduledAt', [
        {
          field: 'status',
          message: 'scheduled needs a scheduledAt; use POST /api/v1/campaigns/:id/launch',
        },
      ]);
    case 'failed':
      return 'fail';
    case 'schedule_missed':
      throw new ValidationError('Only the scheduler marks a launch as missed', [
        { field: 'status', message: 'schedule_missed is set by the executor' },
      ]);
  }
}

export const DELETABLE_STATUSES: CampaignStatus[] = ['draft', 'cancelled'];
/** Steps change only while nothing is being sent from them. */
export const STEP_EDITABLE_STATUSES: CampaignStatus[] = [
  'draft',
  'scheduled',
  'schedule_missed',
  'paused',
];
