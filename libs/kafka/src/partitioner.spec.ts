import { randomBytes } from 'node:crypto';
import { Partitioners, PartitionerArgs } from 'kafkajs';
import { keyHashPartitioner, murmur2 } from './partitioner';

// kafkajs' own (64-bit Long) implementation of the same hash: the reference this one replaces.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: Buffer | string,
) => number;

const metadata = (n: number, leaderless: number[] = []) =>
  Array.from({ length: n }, (_, i) => ({
    partitionErrorCode: 0,
    partitionId: i,
    leader: leaderless.includes(i) ? -1 : 0,
    replicas: [0],
    isr: [0],
  }));

const args = (message: PartitionerArgs['message'], partitions = 6): PartitionerArgs => ({
  topic: 't',
  partitionMetadata: metadata(partitions),
  message,
});

describe('murmur2', () => {
  it("gives the Java client's values (Kafka's UtilsTest vectors)", () => {
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, expected] of cases)
      expect([key, murmur2(Buffer.from(key))]).toEqual([key, expected]);
  });

  it("equals kafkajs' hash for 5,000 random keys of every length and byte", () => {
    for (let i = 0; i < 5000; i++) {
      const key = randomBytes(i % 70);
      expect(murmur2(key)).toBe(kafkajsMurmur2(key));
    }
  });
});

describe('keyHashPartitioner', () => {
  it("puts every key on the partition kafkajs' DefaultPartitioner picks", () => {
    const ours = keyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (let i = 0; i < 2000; i++) {
      const key = i % 2 ? randomBytes(16).toString('hex') : randomBytes(1 + (i % 40));
      const partitions = 1 + (i % 12);
      const a = args({ key, value: 'v' }, partitions);
      expect(ours(a)).toBe(theirs(a));
    }
  });

  it('keeps an explicit partition', () => {
    expect(keyHashPartitioner()(args({ key: 'k', value: 'v', partition: 4 }))).toBe(4);
  });

  it('spreads keyless messages round robin over the partitions that have a leader', () => {
    const partition = keyHashPartitioner();
    const seen = Array.from({ length: 12 }, () =>
      partition({ topic: 't', partitionMetadata: metadata(4, [2]), message: { value: 'v' } }),
    );
    expect(new Set(seen)).toEqual(new Set([0, 1, 3]));
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
  });
});
