import { convert } from 'html-to-text';

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
// Elements browsers close implicitly; leaving them open is valid HTML.
const OPTIONAL_CLOSE = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'option',
  'html',
  'head',
  'body',
  'colgroup',
]);

export interface HtmlProblem {
  message: string;
  index: number;
}

const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][\w:-]*)(?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?(\/?)>/g;

/**
 * Finds markup that mail clients render unpredictably: tags cut off at the end, closing tags
 * that close nothing, and elements left open where HTML does not close them implicitly.
 * A tag scan with a stack is enough for email bodies; we don't need a full HTML5 tree.
 */
export function checkHtml(html: string): HtmlProblem[] {
  const problems: HtmlProblem[] = [];
  const stack: Array<{ name: string; index: number }> = [];
  let end = 0;
  for (const match of html.matchAll(TAG)) {
    end = match.index + match[0].length;
    const [, closing, rawName, selfClosing] = match;
    if (!rawName) continue;
    const name = rawName.toLowerCase();
    if (VOID.has(name) || selfClosing) continue;
    if (!closing) {
      stack.push({ name, index: match.index });
      continue;
    }
    const at = stack.map((s) => s.name).lastIndexOf(name);
    if (at === -1) {
      problems.push({
        message: `</${name}> at position ${match.index} closes nothing`,
        index: match.index,
      });
      continue;
    }
    for (const open of stack.splice(at).slice(1)) {
      if (!OPTIONAL_CLOSE.has(open.name)) {
        problems.push({
          message: `<${open.name}> at position ${open.index} is not closed before </${name}>`,
          index: open.index,
        });
      }
    }
  }
  const cut = /<\/?[a-zA-Z][^>]*$/.exec(html.slice(end));
  if (cut)
    problems.push({
      message: `tag cut off at position ${end + cut.index}: ${cut[0].slice(0, 30)}`,
      index: end + cut.index,
    });
  for (const open of stack) {
    if (!OPTIONAL_CLOSE.has(open.name))
      problems.push({
        message: `<${open.name}> at position ${open.index} is never closed`,
        index: open.index,
      });
  }
  return problems;
}

/**
 * The text part of an email generated from its HTML: links keep their URL, images are dropped.
 * Placeholders are swapped for inert tokens first, so headings' upper-casing or word wrapping
 * can never alter a `{{firstName|there}}`.
 */
export function htmlToText(html: string): string {
  const placeholders: string[] = [];
  const shielded = html.replace(/\{\{[^{}]*\}\}/g, (ph) => `ZZPH${placeholders.push(ph) - 1}ZZ`);
  const text = convert(shielded, {
    wordwrap: 78,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true } },
    ],
  });
  return text.replace(/ZZPH(\d+)ZZ/g, (_m, i: string) => placeholders[Number(i)]);
}
