import { createTenant, TestTenant } from '@app/testing';
import { createCampaign, createLaunchable } from './fixtures';

type Move = 'launch' | 'pause' | 'resume' | 'cancel';

describe('campaign lifecycle', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTenant('life');
  });

  const move = (id: string, action: Move, body: object = {}) =>
    t.api.post(`/api/v1/campaigns/${id}/${action}`, body);
  const status = async (id: string) =>
    (await t.api.get(`/api/v1/campaigns/${id}`)).body.data.status;

  /** Brings a fresh launchable campaign into the given state through legal moves. */
  async function inState(state: string): Promise<string> {
    const { id } = await createLaunchable(t.api);
    const path: Record<string, Array<[Move, object?]>> = {
      draft: [],
      scheduled: [['launch', { scheduledAt: new Date(Date.now() + 86400000).toISOString() }]],
      active: [['launch']],
      paused: [['launch'], ['pause']],
      cancelled: [['cancel']],
      completed: [],
    };
    for (const [action, body] of path[state])
      expect((await move(id, action, body)).status).toBe(200);
    if (state === 'completed') {
      await move(id, 'launch');
      expect(
        (await t.api.patch(`/api/v1/campaigns/${id}/status`, { status: 'completed' })).status,
      ).toBe(200);
    }
    expect(await status(id)).toBe(state);
    return id;
  }

  const legal: Array<[string, Move, string]> = [
    ['draft', 'launch', 'active'],
    ['draft', 'cancel', 'cancelled'],
    ['scheduled', 'launch', 'active'],
    ['scheduled', 'cancel', 'cancelled'],
    ['active', 'pause', 'paused'],
    ['active', 'cancel', 'cancelled'],
    ['paused', 'resume', 'active'],
    ['paused', 'cancel', 'cancelled'],
  ];

  it.each(legal)('%s --%s--> %s', async (from, action, to) => {
    const id = await inState(from);
    const res = await move(id, action);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ from, to, campaign: { status: to } });
    expect(await status(id)).toBe(to);
  });

  const illegal: Array<[string, Move]> = [
    ['draft', 'pause'],
    ['draft', 'resume'],
    ['scheduled', 'pause'],
    ['scheduled', 'resume'],
    ['active', 'launch'],
    ['active', 'resume'],
    ['paused', 'launch'],
    ['paused', 'pause'],
    ['completed', 'launch'],
    ['completed', 'pause'],
    ['completed', 'resume'],
    ['completed', 'cancel'],
    ['cancelled', 'launch'],
    ['cancelled', 'pause'],
    ['cancelled', 'resume'],
    ['cancelled', 'cancel'],
  ];

  it.each(illegal)('refuses %s --%s with a 409 naming the current state', async (from, action) => {
    const id = await inState(from);
    const res = await move(id, action);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_TRANSITION');
    expect(res.body.message).toContain(`is ${from}`);
    expect(await status(id)).toBe(from);
  });

  it('execute is the same call as launch and records the launch options', async () => {
    const { id } = await createLaunchable(t.api);
    const res = await t.api.post(`/api/v1/campaigns/${id}/execute`, {
      testMode: true,
      targetPercentage: 40,
      priority: 'high',
    });
    expect(res.status).toBe(200);
    expect(res.body.data.campaign.launch).toMatchObject({
      testMode: true,
      targetPercentage: 40,
      priority: 'high',
      executionId: res.body.data.executionId,
    });
    expect(res.body.data.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.data.estimatedCompletion).toBeNull();
    expect(res.body.data.campaign.launchedAt).toBeTruthy();
  });

  it('launch with a future scheduledAt schedules; a past one launches now', async () => {
    const { id } = await createLaunchable(t.api);
    const at = new Date(Date.now() + 3600000).toISOString();
    const res = await move(id, 'launch', { scheduledAt: at });
    expect(res.body.data.campaign).toMatchObject({ status: 'scheduled', scheduledAt: at });
    expect(res.body.data.executionId).toBe(res.body.data.campaign.launch.executionId);
    // Only a launch answers with an execution id: cancelling the schedule is not a new one.
    const cancelled = await move(id, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).not.toHaveProperty('executionId');
    const { id: other } = await createLaunchable(t.api);
    const past = await move(other, 'launch', {
      scheduledAt: new Date(Date.now() - 60000).toISOString(),
    });
    expect(past.body.data.to).toBe('active');
  });

  it('validates launch options', async () => {
    const { id } = await createLaunchable(t.api);
    const res = await move(id, 'launch', { targetPercentage: 150, scheduledAt: 'tomorrow' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'scheduledAt',
      'targetPercentage',
    ]);
    expect(await status(id)).toBe('draft');
  });

  it('refuses to launch a campaign with nothing to send', async () => {
    const c = await createCampaign(t.api, { fromEmail: undefined });
    const res = await move(c.id, 'launch');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('CAMPAIGN_NOT_READY');
    expect(res.body.message).toContain('step');
    expect(res.body.message).toContain('sender');
  });

  it('PATCH /status goes through the same state machine', async () => {
    const { id } = await createLaunchable(t.api);
    expect(
      (await t.api.patch(`/api/v1/campaigns/${id}/status`, { status: 'active' })).body.data.to,
    ).toBe('active');
    expect(
      (await t.api.patch(`/api/v1/campaigns/${id}/status`, { status: 'paused', reason: 'budget' }))
        .body.data.campaign,
    ).toMatchObject({
      status: 'paused',
      statusReason: 'budget',
    });
    expect(
      (await t.api.patch(`/api/v1/campaigns/${id}/status`, { status: 'active' })).body.data.from,
    ).toBe('paused');
    const bad = await t.api.patch(`/api/v1/campaigns/${id}/status`, { status: 'draft' });
    expect(bad.status).toBe(409);
    expect(bad.body.message).toContain('is active');
    expect(
      (await t.api.patch(`/api/v1/campaigns/${id}/status`, { status: 'archived' })).status,
    ).toBe(400);
  });

  it('refuses updates once completed', async () => {
    const id = await inState('completed');
    const res = await t.api.patch(`/api/v1/campaigns/${id}`, { name: 'late edit' });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('completed');
  });

  describe('schedule.startDate, endDate and frequency', () => {
    const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
    const fieldsOf = (res: { body: { error?: { details?: { field: string }[] } } }) =>
      (res.body.error?.details ?? []).map((d) => d.field);

    it('refuses an end that is not after the start, and recurring frequencies, naming the field', async () => {
      const backwards = await t.api.post('/api/v1/campaigns', {
        name: 'Backwards',
        schedule: { startDate: '2027-03-01T00:00:00Z', endDate: '2027-02-01T00:00:00Z' },
      });
      expect(backwards.status).toBe(400);
      expect(fieldsOf(backwards)).toEqual(['schedule.endDate']);
      const daily = await t.api.post('/api/v1/campaigns', {
        name: 'Daily',
        schedule: { frequency: 'daily' },
      });
      expect(daily.status).toBe(400);
      expect(fieldsOf(daily)).toEqual(['schedule.frequency']);
      expect(daily.body.error.details[0].message).toMatch(/recurring campaigns are not supported/);
      // An update is checked against the merged schedule, and a refused one changes nothing.
      const c = await createCampaign(t.api, { schedule: { startDate: '2027-03-01T00:00:00Z' } });
      const patch = await t.api.patch(`/api/v1/campaigns/${c.id}`, {
        schedule: { endDate: '2027-01-01T00:00:00Z' },
      });
      expect(patch.status).toBe(400);
      expect(fieldsOf(patch)).toEqual(['schedule.endDate']);
      const after = (await t.api.get(`/api/v1/campaigns/${c.id}`)).body.data.schedule;
      expect(after).toEqual({ startDate: '2027-03-01T00:00:00Z' });
    });

    it('a launch without scheduledAt waits for a startDate still ahead, and starts now once it has passed', async () => {
      const start = inMs(3600_000);
      const ahead = await createLaunchable(t.api, { schedule: { startDate: start } });
      const res = await move(ahead.id, 'launch');
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ from: 'draft', to: 'scheduled' });
      expect(res.body.data.campaign.scheduledAt).toBe(new Date(start).toISOString());
      // An explicit scheduledAt wins over the start date.
      const explicit = await createLaunchable(t.api, { schedule: { startDate: start } });
      const now = await move(explicit.id, 'launch', { scheduledAt: inMs(-1000) });
      expect(now.body.data.to).toBe('active');
      const passed = await createLaunchable(t.api, {
        schedule: { startDate: '2020-01-01T00:00:00Z' },
      });
      expect((await move(passed.id, 'launch')).body.data.to).toBe('active');
    });

    it('nothing launches after its endDate, nor is scheduled at or after it', async () => {
      const over = await createLaunchable(t.api, {
        schedule: { endDate: '2021-01-01T00:00:00Z' },
      });
      const late = await move(over.id, 'launch');
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('CAMPAIGN_ENDED');
      expect(late.body.message).toMatch(
        /schedule\.endDate \(2021-01-01T00:00:00.000Z\) has passed/,
      );
      expect(await status(over.id)).toBe('draft');

      const end = inMs(3600_000);
      const soon = await createLaunchable(t.api, { schedule: { endDate: end } });
      const tooLate = await move(soon.id, 'launch', { scheduledAt: inMs(7200_000) });
      expect(tooLate.status).toBe(400);
      expect(fieldsOf(tooLate)).toEqual(['scheduledAt']);
      expect(await status(soon.id)).toBe('draft');
      // Moving the end later makes the launch possible again.
      await t.api.patch(`/api/v1/campaigns/${over.id}`, { schedule: { endDate: end } });
      expect((await move(over.id, 'launch')).body.data.to).toBe('active');
    });

    it('a scheduled campaign whose endDate is moved before its start is completed at the end, never started', async () => {
      const c = await createLaunchable(t.api);
      const res = await move(c.id, 'launch', { scheduledAt: inMs(3600_000) });
      expect(res.body.data.to).toBe('scheduled');
      const patched = await t.api.patch(`/api/v1/campaigns/${c.id}`, {
        schedule: { endDate: inMs(1500) },
      });
      expect(patched.status).toBe(200);
      let campaign: { status: string; statusReason: string | null } = res.body.data.campaign;
      for (let i = 0; i < 60 && campaign.status !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        campaign = (await t.api.get(`/api/v1/campaigns/${c.id}`)).body.data;
      }
      expect(campaign.status).toBe('completed');
      expect(campaign.statusReason).toMatch(/^schedule\.endDate .* reached$/);
      expect((campaign as { launchedAt?: string | null }).launchedAt).toBeNull();
    });
  });
});

describe('the seeds’ POST /send { action } form', () => {
  it('starts, pauses and resumes through the same state machine', async () => {
    const t = await createTenant('send');
    const { id } = await createLaunchable(t.api);
    const send = (action: string) => t.api.post(`/api/v1/campaigns/${id}/send`, { action });
    expect((await send('start')).body.data).toMatchObject({ from: 'draft', to: 'active' });
    expect((await send('pause')).body.data.to).toBe('paused');
    expect((await send('pause')).status).toBe(409);
    expect((await send('resume')).body.data.to).toBe('active');
    expect((await send('stop')).status).toBe(400);
  });
});
