/** kafkajs' byte writer, through which every request, record and record batch is encoded. */
export const ENCODER_MODULE = 'kafkajs/src/protocol/encoder';

/** The part of kafkajs 2.2's Encoder class this file relies on. */
export interface KafkajsEncoderClass {
  new (initialSize?: number): KafkajsEncoder;
  nextPowerOfTwo(value: number): number;
  sizeOfVarLong(value: unknown): number;
}

interface KafkajsEncoder {
  buf: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
  writeUVarInt(value: number): this;
  writeVarLong(value: unknown): this;
}

/** Below this magnitude, a 64-bit zigzag varint has the same bytes as a 32-bit one. */
const SMALL = 2 ** 30;
const isSmall = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > -SMALL && value < SMALL;
/** A small integer zigzag-encoded, as an unsigned 32-bit number. */
const zigzag = (value: number): number => ((value << 1) ^ (value >> 31)) >>> 0;

/**
 * kafkajs 2.2's Encoder writing the same bytes with less garbage, for a process that produces
 * many small records (the executor's relay: two events per message, one record each).
 *
 * - kafkajs' encoder starts every record, and every other piece, in a zero-filled 512-byte
 *   buffer of its own, and grows by copying into zero-filled buffers. Here both come from
 *   `Buffer.allocUnsafe`: below 4 KB that is a slice of node's shared pool, and the bytes past
 *   `offset`, the only ones left unwritten, are never read (`buffer` ends at `offset`).
 * - Its varints go through an array and `Buffer.from` each, and a record's timestamp delta
 *   (a varlong, 0 when no timestamp is given) through BigInt-backed Long arithmetic. Here they
 *   are written in place; a varlong takes the 32-bit path when its value is small enough for
 *   both encodings to agree, and kafkajs' own path otherwise.
 *
 * The unit test checks the bytes against kafkajs' own class.
 */
export function pooledEncoder<T extends KafkajsEncoderClass>(Encoder: T): T {
  const Base = Encoder as unknown as new (initialSize?: number) => KafkajsEncoder;
  class PooledEncoder extends Base {
    static sizeOfVarLong(value: unknown): number {
      if (!isSmall(value)) return Encoder.sizeOfVarLong(value);
      let rest = zigzag(value);
      let bytes = 1;
      while (rest > 0x7f) {
        bytes++;
        rest >>>= 7;
      }
      return bytes;
    }

    constructor(initialSize = 511) {
      // kafkajs' constructor takes a 1-byte buffer for 0, replaced at once.
      super(0);
      this.buf = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(initialSize));
      this.offset = 0;
    }

    override ensureAvailable(length: number): void {
      if (this.offset + length <= this.buf.length) return;
      const grown = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(this.offset + length));
      this.buf.copy(grown, 0, 0, this.offset);
      this.buf = grown;
    }

    override writeUVarInt(value: number): this {
      this.ensureAvailable(5);
      let rest = value >>> 0;
      while (rest > 0x7f) {
        this.buf[this.offset++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
      this.buf[this.offset++] = rest;
      return this;
    }

    override writeVarLong(value: unknown): this {
      if (!isSmall(value)) return super.writeVarLong(value);
      return this.writeUVarInt(zigzag(value));
    }
  }
  return PooledEncoder as unknown as T;
}
