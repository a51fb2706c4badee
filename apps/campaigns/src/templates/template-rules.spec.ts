import { renderTemplate } from '@app/templating';
import { checkTemplate, withDeclaredFallbacks } from './template-rules';

describe('checkTemplate', () => {
  it('accepts a complete email template with fallbacks and no warnings', () => {
    const check = checkTemplate({
      channel: 'email',
      subject: 'Hi {{firstName|there}}',
      bodyHtml: '<p>{{company|us}}</p>',
    });
    expect(check).toEqual({ problems: [], warnings: [] });
  });

  it('reports placeholder and HTML problems with their field', () => {
    const { problems } = checkTemplate({
      channel: 'email',
      subject: 'Hi {{frist}}',
      bodyHtml: '<div><p>{{firstName}</div',
    });
    const fields = problems.map((p) => p.field);
    expect(fields).toContain('subject');
    expect(fields).toContain('bodyHtml');
    expect(problems.map((p) => p.message).join('\n')).toContain('{{frist}}');
  });

  it('requires subject and body for email templates', () => {
    expect(checkTemplate({ channel: 'email' }).problems.map((p) => p.field)).toEqual([
      'subject',
      'bodyHtml',
    ]);
    expect(checkTemplate({ channel: 'webhook', bodyText: '{"a":1}' }).problems).toEqual([]);
  });

  it('warns about placeholders without a fallback, undeclared and unused variables', () => {
    const { warnings } = checkTemplate({
      channel: 'email',
      subject: 'Hi {{firstName}}',
      bodyText: '{{company}} {{lastName}}',
      variables: [{ name: 'company', fallback: 'your team' }, { name: 'title' }],
    });
    const byCode = (code: string) =>
      warnings
        .filter((w) => w.code === code)
        .map((w) => w.variable)
        .sort();
    expect(byCode('NO_FALLBACK')).toEqual(['firstName', 'lastName']);
    expect(byCode('UNDECLARED_VARIABLE')).toEqual(['firstName', 'lastName']);
    expect(byCode('UNUSED_VARIABLE')).toEqual(['title']);
  });
});

describe('withDeclaredFallbacks', () => {
  it('applies declared fallbacks to placeholders without their own', () => {
    const t = withDeclaredFallbacks('Hi {{firstName}} / {{firstName|pal}}', [
      { name: 'firstName', fallback: 'friend' },
    ]);
    expect(renderTemplate(t, {}, 'text')).toBe('Hi friend / pal');
  });
});
