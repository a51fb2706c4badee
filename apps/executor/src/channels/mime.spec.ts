import { simpleParser } from 'mailparser';
import { buildMime, quotedPrintableLine, rfc5322Date, unstructured } from './mime';

/** What a mail client makes of the built message (mailparser, as the SMTP catcher uses). */
async function parse(input: Parameters<typeof buildMime>[0]) {
  const built = buildMime(input);
  const raw = built.raw.toString('latin1');
  return { built, raw, mail: await simpleParser(built.raw) };
}

const lines = (raw: string) => raw.split('\r\n');

describe('buildMime', () => {
  it('writes text and HTML as multipart/alternative that a parser reads back exactly', async () => {
    const { built, raw, mail } = await parse({
      to: 'ann@example.com',
      from: { name: 'Acme Marketing', address: 'news@acme.test' },
      replyTo: 'help@acme.test',
      subject: 'Hello Ann',
      text: 'Hi Ann,\nsee you.',
      html: '<p>Hi Ann</p>',
      headers: { 'List-Unsubscribe': '<https://t.example/u/x>', 'X-Campaign-Id': 'c1' },
    });
    expect(mail.subject).toBe('Hello Ann');
    expect(mail.from?.value).toEqual([{ name: 'Acme Marketing', address: 'news@acme.test' }]);
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value[0].address).toBe('ann@example.com');
    expect(mail.replyTo?.value[0].address).toBe('help@acme.test');
    expect(mail.text).toBe('Hi Ann,\nsee you.');
    expect(mail.html).toBe('<p>Hi Ann</p>');
    expect('\r\n' + raw).toContain('\r\nList-Unsubscribe: <https://t.example/u/x>\r\n');
    expect(mail.headers.get('x-campaign-id')).toBe('c1');
    expect(mail.messageId).toBe(built.messageId);
    expect(built.messageId).toMatch(/^<[0-9a-f-]{36}@acme\.test>$/);
    expect(built.envelope).toEqual({ from: 'news@acme.test', to: ['ann@example.com'] });
    // Every line ends in CRLF: no bare LF reaches the SMTP server.
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw.indexOf('\r\n\r\n')).toBeGreaterThan(raw.indexOf('MIME-Version: 1.0'));
  });

  it('encodes non-ASCII text and headers and reads them back unchanged', async () => {
    const subject =
      'Grüße aus Köln — 50 % Rabatt für Sie 🎉 und noch viel mehr Text, der umbrochen wird';
    const text =
      'Zeile eins: äöü ß\n=Gleich am Anfang\nSpaces at end   \n\ttab\nLong ' + 'ü'.repeat(120);
    const html = '<p>Привет, мир! ' + 'x'.repeat(200) + '</p>';
    const { raw, mail } = await parse({
      to: 'ann@example.com',
      from: { name: 'Zoë "the" Sender, Inc.', address: 'zoe@acme.test' },
      subject,
      text,
      html,
      headers: { 'X-Note': 'café' },
    });
    expect(mail.subject).toBe(subject);
    expect(mail.from?.value[0].name).toBe('Zoë "the" Sender, Inc.');
    expect(mail.text).toBe(text);
    expect(mail.html).toBe(html);
    const note = /^X-Note: =\?UTF-8\?B\?(.*)\?=$/m.exec(raw.replace(/\r/g, ''))![1];
    expect(Buffer.from(note, 'base64').toString('utf8')).toBe('café');
    // Only ASCII goes on the wire, and no line is longer than 78 characters.
    expect(Buffer.from(raw, 'latin1').every((b) => b < 0x80)).toBe(true);
    for (const line of lines(raw)) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('quotes a display name with specials and leaves a plain one bare', async () => {
    const quoted = buildMime({
      to: 'a@x.test',
      from: { name: 'Smith, John', address: 'j@x.test' },
    });
    expect(quoted.raw.toString()).toContain('From: "Smith, John" <j@x.test>\r\n');
    const bare = buildMime({ to: 'a@x.test', from: { name: 'John Smith', address: 'j@x.test' } });
    expect(bare.raw.toString()).toContain('From: John Smith <j@x.test>\r\n');
    const noName = buildMime({ to: 'a@x.test', from: { name: null, address: 'j@x.test' } });
    expect(noName.raw.toString()).toContain('From: j@x.test\r\n');
  });

  it('keeps line breaks out of headers and ignores headers it writes itself', async () => {
    const { raw, mail } = await parse({
      to: 'a@x.test',
      from: { name: 'A', address: 'a@acme.test' },
      subject: 'Hi\r\nBcc: victim@x.test',
      text: 'x',
      headers: { 'X-Tag': 'one\nX-Injected: yes', 'Content-Type': 'text/evil', 'Bad Name': 'v' },
    });
    expect(mail.subject).toBe('Hi Bcc: victim@x.test');
    expect(mail.headers.get('x-tag')).toBe('one X-Injected: yes');
    expect(mail.headers.has('x-injected')).toBe(false);
    expect(mail.headers.has('bcc')).toBe(false);
    expect(raw).not.toContain('text/evil');
    expect(raw).not.toContain('Bad Name');
    expect(lines(raw).filter((l) => /^content-type:/i.test(l))).toHaveLength(1);
  });

  it('sends a single part when there is only HTML or only text, and text/plain when neither', async () => {
    const htmlOnly = await parse({ to: 'a@x.test', html: '<b>hi</b>' });
    expect(htmlOnly.raw).toContain('Content-Type: text/html; charset=utf-8');
    expect(htmlOnly.raw).not.toContain('multipart');
    expect(htmlOnly.mail.html).toBe('<b>hi</b>');
    const textOnly = await parse({ to: 'a@x.test', text: 'hi' });
    expect(textOnly.raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(textOnly.mail.text).toBe('hi');
    const empty = await parse({ to: 'a@x.test' });
    expect(empty.raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(empty.raw).toContain('Subject: \r\n');
    expect(empty.mail.text ?? '').toBe('');
  });

  it('writes an internationalised domain in ASCII and falls back to reply-to for the envelope', () => {
    const built = buildMime({ to: 'ann@bücher.example', replyTo: 'r@acme.test' });
    expect(built.raw.toString()).toContain('To: ann@xn--bcher-kva.example\r\n');
    expect(built.envelope).toEqual({ from: 'r@acme.test', to: ['ann@xn--bcher-kva.example'] });
    expect(built.raw.toString()).not.toContain('From:');
    expect(built.messageId).toMatch(/@acme\.test>$/);
  });

  it('gives every message its own id and boundary', () => {
    const a = buildMime({ to: 'a@x.test', text: 't', html: 'h' });
    const b = buildMime({ to: 'a@x.test', text: 't', html: 'h' });
    expect(a.messageId).not.toBe(b.messageId);
    const boundary = (s: string) => /boundary="([^"]+)"/.exec(s)![1];
    expect(boundary(a.raw.toString())).not.toBe(boundary(b.raw.toString()));
  });
});

describe('quotedPrintableLine', () => {
  it('escapes = and non-ASCII, keeps inner spaces and encodes a trailing one', () => {
    expect(quotedPrintableLine('a=b')).toBe('a=3Db');
    expect(quotedPrintableLine('é')).toBe('=C3=A9');
    expect(quotedPrintableLine('a b ')).toBe('a b=20');
    expect(quotedPrintableLine('a\t')).toBe('a=09');
  });

  it('soft-breaks at 76 characters without splitting an escape', () => {
    const out = quotedPrintableLine('é'.repeat(40));
    for (const l of out.split('\r\n')) {
      expect(l.length).toBeLessThanOrEqual(76);
      expect(l).toMatch(/^(=[0-9A-F]{2})*=?$/);
    }
    expect(out.replace(/=\r\n/g, '')).toBe('=C3=A9'.repeat(40));
    expect(quotedPrintableLine('x'.repeat(76))).toBe('x'.repeat(76));
    expect(quotedPrintableLine('x'.repeat(77))).toBe('x'.repeat(75) + '=\r\n' + 'xx');
  });
});

describe('header helpers', () => {
  it('folds long ASCII at spaces and encodes non-ASCII in whole characters', () => {
    const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    const folded = unstructured(long);
    expect(folded.replace(/\r\n/g, '')).toBe(long);
    for (const l of folded.split('\r\n')) expect(l.length).toBeLessThanOrEqual(77);
    const words = unstructured('😀'.repeat(20)).split('\r\n ');
    const decoded = words
      .map((w) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(w)![1], 'base64').toString('utf8'))
      .join('');
    expect(decoded).toBe('😀'.repeat(20));
    expect(decoded).not.toContain('\ufffd');
  });

  it('dates in RFC 5322 form, UTC', () => {
    expect(rfc5322Date(new Date('2026-03-05T07:08:09Z'))).toBe('Thu, 5 Mar 2026 07:08:09 +0000');
  });
});
