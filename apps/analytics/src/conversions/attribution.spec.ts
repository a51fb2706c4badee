import { attribute, Touch } from './attribution';

const at = (iso: string) => new Date(iso);
const touch = (
  kind: Touch['kind'],
  iso: string,
  campaignId = 'c1',
  variantId: string | null = 'A',
): Touch => ({
  kind,
  campaignId,
  deliveryId: 'd',
  stepId: 's1',
  stepPosition: 1,
  variantId,
  segmentId: 'seg',
  source: 'newsletter',
  channel: 'email',
  occurredAt: at(iso),
});
const conversionAt = at('2025-01-20T12:00:00Z');

describe('attribution rule', () => {
  it('credits the last click in the window, even when an open is more recent', () => {
    const a = attribute(
      [
        touch('engagement.clicked', '2025-01-10T00:00:00Z', 'c1'),
        touch('engagement.clicked', '2025-01-18T00:00:00Z', 'c2', 'B'),
        touch('engagement.opened', '2025-01-19T00:00:00Z', 'c3'),
      ],
      conversionAt,
      30,
    );
    expect(a).toMatchObject({ rule: 'last_click', campaignId: 'c2', variantId: 'B', stepId: 's1' });
  });

  it('falls back to the last open when there is no click', () => {
    const a = attribute(
      [touch('engagement.opened', '2025-01-19T00:00:00Z', 'c3')],
      conversionAt,
      30,
    );
    expect(a).toMatchObject({ rule: 'last_open', campaignId: 'c3' });
  });

  it('ignores touches outside the window and after the conversion', () => {
    const touches = [
      touch('engagement.clicked', '2024-12-01T00:00:00Z'),
      touch('engagement.clicked', '2025-01-21T00:00:00Z'),
    ];
    expect(attribute(touches, conversionAt, 30)).toBeNull();
    expect(attribute(touches, conversionAt, 60)).toMatchObject({ rule: 'last_click' });
  });

  it('credits the named campaign at campaign level when nothing was touched', () => {
    expect(attribute([], conversionAt, 30, 'c9')).toMatchObject({
      rule: 'campaign',
      campaignId: 'c9',
      stepId: null,
      variantId: null,
      touchedAt: null,
    });
  });
});
