import { signTrackingToken, verifyTrackingToken } from './tracking-token';

describe('tracking tokens', () => {
  const id = '6f1c2a8e-0d4b-4a53-9b3e-6f2a1c9d8e7f';

  it('round-trips a click token with its link', () => {
    const token = signTrackingToken('s3cret', { kind: 'c', deliveryId: id, linkId: 'l1' });
    expect(verifyTrackingToken('s3cret', token, 'c')).toEqual({
      kind: 'c',
      deliveryId: id,
      linkId: 'l1',
    });
  });

  it('refuses another secret, another kind and a tampered payload', () => {
    const token = signTrackingToken('s3cret', { kind: 'o', deliveryId: id });
    expect(verifyTrackingToken('other', token, 'o')).toBeNull();
    expect(verifyTrackingToken('s3cret', token, 'u')).toBeNull();
    const [, sig] = token.split('.');
    const forged = `${Buffer.from(`o:${id}x`).toString('base64url')}.${sig}`;
    expect(verifyTrackingToken('s3cret', forged, 'o')).toBeNull();
    expect(verifyTrackingToken('s3cret', 'garbage', 'o')).toBeNull();
  });
});
