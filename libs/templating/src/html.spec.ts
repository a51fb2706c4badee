import { checkHtml, htmlToText } from './html';

describe('checkHtml', () => {
  it('accepts well-formed and implicitly closed markup', () => {
    expect(checkHtml('<div><p>One<p>Two<br><img src="x.png"></div><ul><li>a<li>b</ul>')).toEqual(
      [],
    );
  });

  it('reports unclosed elements, stray closers and cut-off tags', () => {
    const messages = checkHtml('<div><span>hi</div></b><table').map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('<span> at position 5 is not closed before </div>'),
        expect.stringContaining('</b>'),
        expect.stringContaining('tag cut off'),
      ]),
    );
  });

  it('reports an element never closed', () => {
    expect(checkHtml('<section><h1>Title</h1>')[0].message).toContain(
      '<section> at position 0 is never closed',
    );
  });
});

describe('htmlToText', () => {
  it('keeps text and link targets and drops images', () => {
    const text = htmlToText(
      '<h1>Hello</h1><p>Read <a href="https://example.com/x">the post</a></p><img src="a.png">',
    );
    expect(text).toContain('HELLO');
    expect(text).toContain('the post [https://example.com/x]');
    expect(text).not.toContain('a.png');
  });

  it('leaves placeholders untouched, even in upper-cased headings', () => {
    const text = htmlToText('<h1>Hi {{firstName | friend}}</h1><p>{{company}}</p>');
    expect(text).toContain('HI {{firstName | friend}}');
    expect(text).toContain('{{company}}');
  });
});
