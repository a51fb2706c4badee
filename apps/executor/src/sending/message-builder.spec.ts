import { withUnsubscribeFooter } from './message-builder';

describe('withUnsubscribeFooter', () => {
  const url = 'http://127.0.0.1:3000/t/u/abc.def';

  it('adds an unsubscribe link before </body>, or at the end', () => {
    expect(withUnsubscribeFooter('<html><body><p>Hi</p></body></html>', url)).toMatch(
      new RegExp(`<a href="${url.replace(/\./g, '\\.')}">Unsubscribe</a>\\.</p></body></html>$`),
    );
    expect(withUnsubscribeFooter('<p>Hi</p>', url)).toContain(`<p>Hi</p><p style=`);
  });

  it('leaves a body that already links to the unsubscribe page alone', () => {
    const html = `<p>Bye? <a href="${url}">here</a></p>`;
    expect(withUnsubscribeFooter(html, url)).toBe(html);
  });
});
