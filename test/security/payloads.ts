import fc from 'fast-check';

/** Strings that have broken real systems: SQL, script, template, header and CSV injection, and friends. */
export const NASTY_STRINGS = [
  "' OR '1'='1' --",
  '"; DROP TABLE campaigns.campaigns; --',
  '1; SELECT pg_sleep(5)--',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{constructor.constructor("return process")()}}',
  '${7*7}',
  '__proto__',
  'constructor',
  'x\r\nBcc: victim@example.com',
  'Subject\nX-Injected: yes',
  '=HYPERLINK("http://evil.example","click")',
  '+SUM(1+1)',
  '-2+3',
  '@SUM(A1)',
  '\t=cmd|" /C calc"!A0',
  '../../../../etc/passwd',
  // URLs stay on loopback: the sweep must never make the stack call out of this machine.
  'http://127.0.0.1:9/',
  'http://localhost:9/hook',
  '\u0000',
  '\uFEFFbom',
  '😀'.repeat(50),
  'a'.repeat(10_000),
  '%00%0d%0a',
  'null',
  'true',
  '-1',
  '1e309',
  'NaN',
  '00000000-0000-0000-0000-000000000000',
  '',
  ' ',
];

export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
);

export const nastyNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 100, 101, 2 ** 31, -(2 ** 31), Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value at all, for bodies and fields of the wrong type. */
export const anyJson = fc.oneof(
  nastyString,
  nastyNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(nastyString, { maxLength: 4 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 4 }),
);
