import { renderTemplate, scanTemplate, stripHeaderBreaks } from './placeholders';

describe('scanTemplate', () => {
  it('finds placeholders with and without fallbacks', () => {
    const { placeholders, problems } = scanTemplate(
      'Hi {{firstName | there}}, {{ company }} {{custom.plan|"free"}}',
    );
    expect(problems).toEqual([]);
    expect(placeholders.map((p) => [p.name, p.fallback])).toEqual([
      ['firstName', 'there'],
      ['company', undefined],
      ['custom.plan', 'free'],
    ]);
  });

  it('reports unknown names, unclosed and stray braces', () => {
    const { problems } = scanTemplate('{{frstName}} {{firstName  and }} here {{email');
    const messages = problems.map((p) => p.message).join('\n');
    expect(messages).toContain('unknown placeholder {{frstName}}');
    expect(messages).toContain('invalid placeholder');
    expect(messages).toContain('unclosed "{{"');
  });

  it('reports a stray closing pair', () => {
    expect(scanTemplate('oops }} here').problems[0].message).toContain('unmatched "}}"');
  });
});

describe('renderTemplate', () => {
  const vars = { firstName: '<b>Ann</b>', company: '', custom: { plan: 'pro' } };

  it('escapes values in HTML and uses fallbacks for empty values', () => {
    expect(renderTemplate('<p>Hi {{firstName}} of {{company|your team}}</p>', vars, 'html')).toBe(
      '<p>Hi &lt;b&gt;Ann&lt;/b&gt; of your team</p>',
    );
  });

  it('leaves text bodies unescaped and reads custom fields', () => {
    expect(renderTemplate('{{firstName}} on {{custom.plan}}', vars, 'text')).toBe(
      '<b>Ann</b> on pro',
    );
  });

  it('keeps header values on one line', () => {
    expect(renderTemplate('Hello {{firstName}}', { firstName: 'A\r\nBcc: x@y.z' }, 'header')).toBe(
      'Hello A Bcc: x@y.z',
    );
    expect(stripHeaderBreaks('a\nb')).toBe('a b');
  });
});
