import { validateStep } from './step-rules';

describe('validateStep', () => {
  it('accepts a complete email step', () => {
    expect(
      validateStep({
        type: 'email',
        subject: 'Hi {{firstName|there}}',
        bodyHtml: '<p>{{company}}</p>',
      }),
    ).toEqual([]);
  });

  it('names unknown placeholders and the field they are in', () => {
    const problems = validateStep({
      type: 'email',
      subject: 'Hi {{frist}}',
      bodyText: 'ok {{email',
    });
    expect(problems.map((p) => p.field)).toEqual(['subject', 'bodyText']);
    expect(problems[0].message).toContain('{{frist}}');
  });

  it('requires what each step type needs', () => {
    expect(validateStep({ type: 'email' }).map((p) => p.field)).toEqual(['subject', 'bodyHtml']);
    expect(validateStep({ type: 'wait' })[0].field).toBe('delay');
    expect(validateStep({ type: 'webhook', webhook: {} })[0].field).toBe('webhook.url');
  });

  it('checks A/B variants', () => {
    const one = validateStep({
      type: 'email',
      variants: [{ name: 'A', weight: 1, subject: 's', bodyText: 'b' }],
    });
    expect(one.map((p) => p.message)).toContain('an A/B step needs at least two variants');
    const zero = validateStep({
      type: 'email',
      variants: [
        { name: 'A', weight: 0, subject: 's', bodyText: 'b' },
        { name: 'A', weight: 0, subject: 's', bodyText: 'b {{nope}}' },
      ],
    });
    const messages = zero.map((p) => p.message).join('\n');
    expect(messages).toContain('weights must add up');
    expect(messages).toContain('names must be unique');
    expect(messages).toContain('{{nope}}');
  });
});
