/*
 * One-dimensional Postgres arrays in the binary wire format (what array_send writes and
 * array_recv reads), for the `unnest` parameters of set-based statements (the analytics
 * service's raw events, the executor's claims and outcomes). node-postgres sends a Buffer
 * parameter as binary. Against text literals (array-literal.ts) Postgres no longer parses
 * thousands of uuids, timestamps and quoted strings per column (uuid_in, timestamptz_in,
 * array_in were ~20 % of the analytics insert's backend CPU at 5,000 events), and the service
 * writes bytes once instead of concatenating a string that node-postgres then measures and
 * copies.
 *
 * Layout: ndim, has-nulls flag, element type oid, then per dimension its length and lower bound
 * (1), then per element a 4-byte length (-1 for NULL) and the element's bytes. The element type
 * must be the one the statement casts the parameter to (`$1::uuid[]`), or Postgres refuses it.
 */

const OID = {
  bool: 16,
  int8: 20,
  int4: 23,
  text: 25,
  date: 1082,
  timestamptz: 1184,
  uuid: 2950,
} as const;
/** 2000-01-01T00:00:00Z, Postgres' timestamp epoch, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
/** Below this many milliseconds from the epoch, microseconds are exact in a double. */
const EXACT_MS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);
const TWO_32 = 4_294_967_296;

type Maybe<T> = T | null | undefined;

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[97 + i] = HEX[65 + i] = 10 + i;

/** A buffer holding the array header; elements are written from offset `start`. */
function withHeader(oid: number, count: number, hasNulls: boolean, elementBytes: number) {
  const start = count ? 20 : 12;
  const buf = Buffer.allocUnsafe(start + elementBytes);
  buf.writeInt32BE(count ? 1 : 0, 0);
  buf.writeInt32BE(hasNulls ? 1 : 0, 4);
  buf.writeInt32BE(oid, 8);
  if (count) {
    buf.writeInt32BE(count, 12);
    buf.writeInt32BE(1, 16);
  }
  return { buf, start };
}

/**
 * An array of `values`: each element's bytes written by `write` at the given offset (it returns
 * how many it wrote, at most `room` of it); null and undefined are NULL.
 */
function arrayOf<T>(
  oid: number,
  values: readonly Maybe<T>[],
  room: (value: T) => number,
  write: (buf: Buffer, at: number, value: T) => number,
): Buffer {
  let missing = 0;
  let bytes = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) missing++;
    else bytes += room(v);
  }
  const { buf, start } = withHeader(oid, values.length, missing > 0, values.length * 4 + bytes);
  let o = start;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      buf.writeInt32BE(-1, o);
      o += 4;
      continue;
    }
    const written = write(buf, o + 4, v);
    buf.writeInt32BE(written, o);
    o += 4 + written;
  }
  return o === buf.length ? buf : buf.subarray(0, o);
}

/** An array of a fixed-width type: `width` bytes per element. */
function fixedWidth<T>(
  oid: number,
  width: number,
  values: readonly Maybe<T>[],
  write: (buf: Buffer, at: number, value: T) => void,
): Buffer {
  return arrayOf(
    oid,
    values,
    () => width,
    (buf, at, v) => {
      write(buf, at, v);
      return width;
    },
  );
}

/** Canonical uuids (8-4-4-4-12 hex digits, either case). */
export function uuidArray(values: readonly Maybe<string>[]): Buffer {
  return fixedWidth(OID.uuid, 16, values, (buf, at, v) => {
    if (v.length !== 36) throw new Error(`not a uuid: ${v}`);
    let o = at;
    for (let c = 0; c < 36; c += 2) {
      if (c === 8 || c === 13 || c === 18 || c === 23) c++;
      const hi = HEX[v.charCodeAt(c)];
      const lo = HEX[v.charCodeAt(c + 1)];
      if (hi < 0 || lo < 0 || hi === undefined || lo === undefined)
        throw new Error(`not a uuid: ${v}`);
      buf[o++] = (hi << 4) | lo;
    }
  });
}

/** Any text, as UTF-8. Postgres text cannot hold NUL: callers remove it first (analytics' parseEvent does). */
export function textArray(values: readonly Maybe<string>[]): Buffer {
  // At most 3 UTF-8 bytes per UTF-16 unit: written in one pass, the unused tail cut off.
  return arrayOf(
    OID.text,
    values,
    (v) => v.length * 3,
    (buf, at, v) => buf.write(v, at, 'utf8'),
  );
}

/** A safe integer as a big-endian int64 at `o`. */
function writeInt64(buf: Buffer, value: number, o: number): void {
  const high = Math.floor(value / TWO_32);
  buf.writeInt32BE(high, o);
  buf.writeUInt32BE(value - high * TWO_32, o + 4);
}

/** Instants as Unix milliseconds or Dates, sent as Postgres' int64 microseconds since 2000-01-01. */
export function timestamptzArray(values: readonly Maybe<number | Date>[]): Buffer {
  return fixedWidth(OID.timestamptz, 8, values, (buf, at, value) => {
    const fromEpoch = (typeof value === 'number' ? value : value.getTime()) - PG_EPOCH_MS;
    if (!Number.isInteger(fromEpoch)) throw new Error(`not an instant: ${String(value)}`);
    if (Math.abs(fromEpoch) <= EXACT_MS) writeInt64(buf, fromEpoch * 1000, at);
    else buf.writeBigInt64BE(BigInt(fromEpoch) * 1000n, at);
  });
}

/** `YYYY-MM-DD` days, sent as Postgres' int32 days since 2000-01-01. */
export function dateArray(days: readonly string[]): Buffer {
  return fixedWidth(OID.date, 4, days, (buf, at, day) => {
    const ms = Date.parse(day);
    if (day.length !== 10 || !Number.isFinite(ms)) throw new Error(`not a day: ${day}`);
    buf.writeInt32BE((ms - PG_EPOCH_MS) / 86_400_000, at);
  });
}

/** Safe integers (the rollups' counters). */
export function int8Array(values: readonly number[]): Buffer {
  return fixedWidth(OID.int8, 8, values, (buf, at, v) => {
    if (!Number.isSafeInteger(v)) throw new Error(`not a safe integer: ${v}`);
    writeInt64(buf, v, at);
  });
}

export function int4Array(values: readonly Maybe<number>[]): Buffer {
  return fixedWidth(OID.int4, 4, values, (buf, at, v) => buf.writeInt32BE(v, at));
}

export function boolArray(values: readonly boolean[]): Buffer {
  return fixedWidth(OID.bool, 1, values, (buf, at, v) => {
    buf[at] = v ? 1 : 0;
  });
}
