import { ENCODER_MODULE, KafkajsEncoderClass, pooledEncoder } from './kafkajs-encoder';

/* eslint-disable @typescript-eslint/no-require-imports */
// kafkajs' own encoder: the reference whose bytes the pooled one must write.
const Original = require(ENCODER_MODULE) as WriterClass;
const Long = require('kafkajs/src/utils/long');
const PRODUCE = 'kafkajs/src/protocol/requests/produce/v3/request';
/* eslint-enable @typescript-eslint/no-require-imports */

interface WriterClass {
  new (initialSize?: number): Writer;
  sizeOfVarLong(value: unknown): number;
}

interface Writer {
  buffer: Buffer;
  writeVarInt(value: number): Writer;
  writeUVarInt(value: number): Writer;
  writeVarLong(value: unknown): Writer;
  writeVarIntBytes(value: string | Buffer | null): Writer;
  writeString(value: string): Writer;
  writeInt64(value: unknown): Writer;
}

const Pooled = pooledEncoder(Original as unknown as KafkajsEncoderClass) as unknown as WriterClass;

const edges = [0, 1, -1, 63, 64, -64, -65, 127, 128, 300, -300, 2 ** 14, 2 ** 21, 2 ** 28];
const wide = [2 ** 30 - 1, -(2 ** 30) + 1, 2 ** 30, -(2 ** 30), 2 ** 31 - 1, -(2 ** 31)];
const random = Array.from({ length: 500 }, (_, i) =>
  Math.round((Math.random() - 0.5) * 2 ** (1 + (i % 31))),
);

describe('pooledEncoder', () => {
  it("writes kafkajs' bytes for zigzag and unsigned varints", () => {
    for (const v of [...edges, ...wide, ...random]) {
      expect(new Pooled().writeVarInt(v).buffer).toEqual(new Original().writeVarInt(v).buffer);
    }
    for (const v of [0, 1, 127, 128, 2 ** 21, 2 ** 31, 2 ** 32 - 1, ...random.map(Math.abs)]) {
      expect(new Pooled().writeUVarInt(v).buffer).toEqual(new Original().writeUVarInt(v).buffer);
    }
  });

  it("writes and sizes kafkajs' varlongs, small numbers in place and the rest kafkajs' way", () => {
    const longs = [
      ...edges,
      ...wide,
      ...random,
      2 ** 40,
      -(2 ** 40),
      Number.MAX_SAFE_INTEGER,
      Long.fromNumber(5),
      Long.fromString('-9223372036854775808'),
      '1234567890123',
    ];
    for (const v of longs) {
      const expected = new Original().writeVarLong(v).buffer;
      expect(new Pooled().writeVarLong(v).buffer).toEqual(expected);
      expect(Pooled.sizeOfVarLong(v)).toBe(expected.length);
    }
  });

  it('grows past its first buffer without losing what it wrote', () => {
    const long = 'é'.repeat(3000);
    const write = (w: Writer) =>
      w.writeString('topic').writeVarIntBytes(long).writeVarIntBytes(null).writeInt64(7).buffer;
    expect(write(new Pooled(8))).toEqual(write(new Original()));
  });

  it("encodes a produce request byte for byte as kafkajs' own does", async () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_764_300_000_000);
    const topicData = [
      {
        topic: 'message.events',
        partitions: [0, 3].map((partition) => ({
          partition,
          firstSequence: 11,
          messages: Array.from({ length: 300 }, (_, i) => ({
            key: `campaign-${partition}`,
            value: JSON.stringify({ i, text: 'x'.repeat(i * 7), note: 'ünïcode' }),
            headers: i % 50 === 0 ? { 'x-trace': `t${i}` } : undefined,
            timestamp: i % 3 === 0 ? undefined : String(1_764_300_000_000 + i * 1000),
          })),
        })),
      },
    ];
    const encode = async (load: () => (args: object) => { encode(): Promise<Writer> }) => {
      let request!: (args: object) => { encode(): Promise<Writer> };
      jest.isolateModules(() => {
        request = load();
      });
      const args = { acks: -1, timeout: 30000, producerId: Long.fromInt(42), topicData };
      return (await request(args).encode()).buffer;
    };
    /* eslint-disable @typescript-eslint/no-require-imports */
    const own = await encode(() => require(PRODUCE));
    const pooled = await encode(() => {
      jest.doMock(require.resolve(ENCODER_MODULE), () => Pooled);
      return require(PRODUCE);
    });
    /* eslint-enable @typescript-eslint/no-require-imports */
    expect(own.length).toBeGreaterThan(100_000);
    expect(pooled).toEqual(own);
    jest.restoreAllMocks();
  });
});
