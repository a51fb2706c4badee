import {
  boolArray,
  dateArray,
  int4Array,
  int8Array,
  textArray,
  timestamptzArray,
  uuidArray,
} from './pg-binary';

/** Reads back what array_recv would: element type and each element's bytes (null for NULL). */
function decode(buf: Buffer): { oid: number; hasNulls: boolean; elements: (Buffer | null)[] } {
  const ndim = buf.readInt32BE(0);
  const hasNulls = buf.readInt32BE(4) === 1;
  const oid = buf.readInt32BE(8);
  if (ndim === 0) return { oid, hasNulls, elements: [] };
  expect(ndim).toBe(1);
  expect(buf.readInt32BE(16)).toBe(1);
  const count = buf.readInt32BE(12);
  const elements: (Buffer | null)[] = [];
  let o = 20;
  for (let i = 0; i < count; i++) {
    const len = buf.readInt32BE(o);
    o += 4;
    elements.push(len < 0 ? null : buf.subarray(o, (o += len)));
  }
  expect(o).toBe(buf.length);
  return { oid, hasNulls, elements };
}

describe('binary arrays', () => {
  it('writes uuids as their 16 bytes, in either case, and nulls as -1', () => {
    const { oid, hasNulls, elements } = decode(
      uuidArray([
        '0f8fad5b-d9cb-469f-a165-70867728950e',
        null,
        'FFFFFFFF-FFFF-4FFF-8FFF-ABCDEFABCDEF',
      ]),
    );
    expect(oid).toBe(2950);
    expect(hasNulls).toBe(true);
    expect(elements.map((e) => e?.toString('hex') ?? null)).toEqual([
      '0f8fad5bd9cb469fa16570867728950e',
      null,
      'ffffffffffff4fff8fffabcdefabcdef',
    ]);
    expect(() => uuidArray(['not-a-uuid'])).toThrow('not a uuid');
    expect(() => uuidArray(['0f8fad5b-d9cb-469f-a165-70867728950g'])).toThrow('not a uuid');
  });

  it('writes an empty array with no dimension', () => {
    expect(decode(uuidArray([]))).toEqual({ oid: 2950, hasNulls: false, elements: [] });
    expect(decode(textArray([]))).toEqual({ oid: 25, hasNulls: false, elements: [] });
  });

  it('writes text as UTF-8, with nothing escaped', () => {
    const { oid, elements } = decode(textArray(['a,b', 'é€😀', 'say "hi" \\', 'NULL', '', null]));
    expect(oid).toBe(25);
    expect(elements.map((e) => e?.toString('utf8') ?? null)).toEqual([
      'a,b',
      'é€😀',
      'say "hi" \\',
      'NULL',
      '',
      null,
    ]);
  });

  it('writes instants as microseconds since 2000-01-01, far ones included', () => {
    const instants = [
      '2000-01-01T00:00:00.001Z',
      '1999-12-31T23:59:59.999Z',
      '2026-11-29T02:53:01.123Z',
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ];
    const { oid, elements } = decode(timestamptzArray(instants.map((t) => Date.parse(t))));
    expect(oid).toBe(1184);
    expect(elements.map((e) => e!.readBigInt64BE(0))).toEqual(
      instants.map((t) => (BigInt(Date.parse(t)) - 946684800000n) * 1000n),
    );
  });

  it('takes Dates as well as milliseconds, and null as NULL', () => {
    const at = new Date('2026-11-29T03:15:00.250Z');
    const { hasNulls, elements } = decode(timestamptzArray([at, null, at.getTime(), undefined]));
    expect(hasNulls).toBe(true);
    const micros = (BigInt(at.getTime()) - 946684800000n) * 1000n;
    expect(elements.map((e) => e?.readBigInt64BE(0) ?? null)).toEqual([micros, null, micros, null]);
    expect(() => timestamptzArray([new Date('never')])).toThrow('not an instant');
  });

  it('writes days since 2000-01-01, counters as int64, positions as int32, flags as bytes', () => {
    const days = decode(dateArray(['2000-01-01', '1999-12-31', '2026-11-29']));
    expect(days.oid).toBe(1082);
    expect(days.elements.map((e) => e!.readInt32BE(0))).toEqual([0, -1, 9829]);
    expect(() => dateArray(['2026-11-29T00'])).toThrow('not a day');

    const counts = decode(int8Array([0, 1, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]));
    expect(counts.oid).toBe(20);
    expect(counts.elements.map((e) => e!.readBigInt64BE(0))).toEqual([
      0n,
      1n,
      2n ** 40n + 7n,
      BigInt(Number.MAX_SAFE_INTEGER),
    ]);
    expect(() => int8Array([1.5])).toThrow('not a safe integer');

    const positions = decode(int4Array([1, null, -5]));
    expect([positions.oid, positions.hasNulls]).toEqual([23, true]);
    expect(positions.elements.map((e) => e?.readInt32BE(0) ?? null)).toEqual([1, null, -5]);

    const flags = decode(boolArray([true, false]));
    expect(flags.oid).toBe(16);
    expect(flags.elements.map((e) => e![0])).toEqual([1, 0]);
  });
});
