import { CAMPAIGN_STATUSES, CampaignStatus } from '@app/contracts';
import { actionForTarget, CampaignAction, nextStatus, TRANSITIONS } from './campaign-state';

const actions: CampaignAction[] = [
  'launch',
  'schedule',
  'unschedule',
  'start',
  'pause',
  'resume',
  'cancel',
  'complete',
  'fail',
  'miss',
  'end',
];

describe('campaign state machine', () => {
  it.each([
    ['draft', 'launch', 'active'],
    ['draft', 'schedule', 'scheduled'],
    ['scheduled', 'start', 'active'],
    ['scheduled', 'unschedule', 'draft'],
    ['active', 'pause', 'paused'],
    ['paused', 'resume', 'active'],
    ['active', 'complete', 'completed'],
    ['paused', 'cancel', 'cancelled'],
    ['active', 'fail', 'failed'],
    ['scheduled', 'miss', 'schedule_missed'],
    ['schedule_missed', 'launch', 'active'],
    ['schedule_missed', 'schedule', 'scheduled'],
    ['schedule_missed', 'cancel', 'cancelled'],
    ['active', 'end', 'completed'],
    ['paused', 'end', 'completed'],
    ['scheduled', 'end', 'completed'],
    ['schedule_missed', 'end', 'completed'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it('refuses every move not in the table with a message naming the current state', () => {
    let refused = 0;
    for (const from of CAMPAIGN_STATUSES) {
      for (const action of actions) {
        if (TRANSITIONS[from][action]) continue;
        expect(() => nextStatus(from, action)).toThrow(new RegExp(`that is ${from}`));
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(30);
  });

  it('never starts a missed launch by itself', () => {
    expect(() => nextStatus('schedule_missed', 'start')).toThrow(/that is schedule_missed/);
    expect(() => nextStatus('active', 'miss')).toThrow(/that is active/);
  });

  it('ends only a campaign that is still to send or sending', () => {
    for (const from of ['draft', 'completed', 'cancelled', 'failed'] as CampaignStatus[])
      expect(() => nextStatus(from, 'end')).toThrow(new RegExp(`that is ${from}`));
  });

  it('keeps completed and cancelled final', () => {
    for (const status of ['completed', 'cancelled'] as CampaignStatus[]) {
      expect(Object.keys(TRANSITIONS[status])).toHaveLength(0);
    }
  });

  it('maps PATCH status targets to actions', () => {
    expect(actionForTarget('paused', 'active')).toBe('resume');
    expect(actionForTarget('draft', 'active')).toBe('launch');
    expect(actionForTarget('active', 'paused')).toBe('pause');
    expect(() => actionForTarget('draft', 'scheduled')).toThrow(/scheduledAt/);
    expect(() => actionForTarget('scheduled', 'schedule_missed')).toThrow(/scheduler/);
  });
});
