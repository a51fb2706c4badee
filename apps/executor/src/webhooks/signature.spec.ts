import { createHmac } from 'node:crypto';
import { signatureHeader } from './signature';

describe('webhook signature', () => {
  const body = '{"type":"campaign.started"}';

  it('is t=<ts>,v1=<hmac of "t.body">', () => {
    const expected = createHmac('sha256', 'whsec_a').update(`1700000000.${body}`).digest('hex');
    expect(signatureHeader(['whsec_a'], 1700000000, body)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('carries one v1 per secret during a rotation overlap', () => {
    const header = signatureHeader(['new', 'old'], 1700000000, body);
    const v1 = header.split(',').filter((p) => p.startsWith('v1='));
    expect(v1).toHaveLength(2);
    expect(v1[1]).toBe(
      `v1=${createHmac('sha256', 'old').update(`1700000000.${body}`).digest('hex')}`,
    );
  });
});
