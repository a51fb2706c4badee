import { parseEvent } from './event-row';

const ids = {
  eventId: '6f1c2a8e-0d4b-4a53-9b3e-6f2a1c9d8e7f',
  tenantId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  workspaceId: '9b2d7c1e-4f5a-4c3b-8d2e-1a0b9c8d7e6f',
  campaignId: '3f1c2a8e-0d4b-4a53-9b3e-6f2a1c9d8e7f',
};

describe('parseEvent', () => {
  it('flattens the envelope and its delivery attribution', () => {
    const raw = JSON.stringify({
      ...ids,
      type: 'engagement.clicked',
      version: 1,
      occurredAt: '2025-01-15T09:00:00Z',
      data: {
        deliveryId: 'd1',
        stepId: 's1',
        stepPosition: 2,
        variantId: 'B',
        segmentId: null,
        source: 'ads',
        channel: 'email',
        testMode: false,
      },
    });
    const r = parseEvent(raw);
    expect('row' in r && r.row).toMatchObject({
      ...ids,
      occurredAt: '2025-01-15T09:00:00.000Z',
      deliveryId: 'd1',
      stepPosition: 2,
      variantId: 'B',
      segmentId: null,
      testMode: false,
      value: null,
    });
  });

  it('rejects what cannot be stored exactly instead of throwing', () => {
    expect(parseEvent('nope')).toEqual({ rejected: 'not JSON' });
    expect(
      parseEvent(JSON.stringify({ ...ids, eventId: 'x', type: 't', occurredAt: '2025-01-01' })),
    ).toEqual({
      rejected: 'missing eventId/tenant/workspace',
    });
    expect(parseEvent(JSON.stringify({ ...ids, type: 't', occurredAt: 'never' }))).toEqual({
      rejected: 'invalid occurredAt',
    });
    // Year 0000 parses in JS but not in Postgres; year 0001 and 9999 are stored as they are.
    expect(
      parseEvent(JSON.stringify({ ...ids, type: 't', occurredAt: '0000-06-01T00:00:00Z' })),
    ).toEqual({ rejected: 'invalid occurredAt' });
    for (const at of ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'])
      expect(parseEvent(JSON.stringify({ ...ids, type: 't', occurredAt: at }))).toMatchObject({
        row: { occurredAt: at },
      });
    expect(parseEvent(null)).toEqual({ rejected: 'empty message' });
  });

  it('keeps only test mode flagged exactly true', () => {
    const r = parseEvent(
      JSON.stringify({
        ...ids,
        type: 'message.sent',
        occurredAt: '2025-01-01T00:00:00Z',
        data: { testMode: 'yes' },
      }),
    );
    expect('row' in r && r.row.testMode).toBe(false);
  });
});
