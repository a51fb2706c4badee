import { MessageEventTypes } from '@app/contracts';
import { CampaignRun } from '../runs/run-snapshot';
import { DeliveryRef, messageEvent } from './message-events';

const run = {
  tenantId: '7f1c1b52-0d0a-4d7e-9d55-0f1f0a3c2b11',
  workspaceId: '5a0a2f8e-1d3c-4a9b-8f00-2b6c7d8e9f10',
  campaignId: '0b9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f',
} as CampaignRun;

const ref = (over: Partial<DeliveryRef> = {}): DeliveryRef => ({
  deliveryId: '11111111-2222-4333-8444-555555555555',
  enrollmentId: '66666666-7777-4888-9999-aaaaaaaaaaaa',
  stepId: 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff',
  stepPosition: 2,
  variantId: 'B "quoted"\nline',
  channel: 'email',
  segmentId: null,
  source: 'web\\form',
  testMode: false,
  leadId: '99999999-8888-4777-a666-555555555555',
  ...over,
});

describe('messageEvent', () => {
  it('writes the envelope buildEvent makes, with the attribution and the extra fields as data', () => {
    const before = Date.now();
    const { leadId, ...attribution } = ref();
    const text = messageEvent(run, ref(), MessageEventTypes.failed, {
      code: 'SMTP_5XX',
      reason: '550 <no such user>\tgone',
      permanent: true,
    });
    const event = JSON.parse(text);
    expect(event).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'message.failed',
      version: 1,
      occurredAt: expect.any(String),
      tenantId: run.tenantId,
      workspaceId: run.workspaceId,
      campaignId: run.campaignId,
      leadId,
      data: {
        ...attribution,
        code: 'SMTP_5XX',
        reason: '550 <no such user>\tgone',
        permanent: true,
      },
    });
    const at = Date.parse(event.occurredAt);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('never writes a raw newline, so an event is always one outbox line', () => {
    expect(messageEvent(run, ref(), MessageEventTypes.sent)).not.toContain('\n');
  });

  it('gives every event its own id and leaves out what is undefined', () => {
    const r = ref({ leadId: undefined as unknown as string });
    const queued = JSON.parse(messageEvent(run, r, MessageEventTypes.queued));
    const sent = JSON.parse(
      messageEvent(run, r, MessageEventTypes.sent, { providerMessageId: undefined }),
    );
    expect(queued.eventId).not.toBe(sent.eventId);
    expect('leadId' in sent).toBe(false);
    expect(sent.type).toBe('message.sent');
    expect(sent.data).toEqual(queued.data);
    expect(Object.keys(sent.data)).not.toContain('providerMessageId');
  });

  it('keeps events of different runs and types apart', () => {
    const other = { ...run, campaignId: 'c0ffee00-0000-4000-8000-000000000000' } as CampaignRun;
    const a = JSON.parse(messageEvent(run, ref(), MessageEventTypes.sent));
    const b = JSON.parse(messageEvent(other, ref(), MessageEventTypes.queued));
    expect([a.campaignId, a.type]).toEqual([run.campaignId, 'message.sent']);
    expect([b.campaignId, b.type]).toEqual([
      'c0ffee00-0000-4000-8000-000000000000',
      'message.queued',
    ]);
  });
});
