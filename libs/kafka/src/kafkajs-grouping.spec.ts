import type { Message, PartitionerArgs } from 'kafkajs';
import { GROUPING_MODULE, groupMessagesPerPartition } from './kafkajs-grouping';
import { keyHashPartitioner } from './partitioner';

// kafkajs' own, quadratic version: the reference the linear one must agree with.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const original = require(GROUPING_MODULE) as typeof groupMessagesPerPartition;

describe('groupMessagesPerPartition', () => {
  const partitionMetadata = [0, 1, 2, 3, 4, 5].map((partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));

  it("groups like kafkajs' own: the same partitions, each with its messages in order", () => {
    // Keys, and explicit partitions (a keyless message would go round robin from a random start).
    const keys = ['campaign-a', 'campaign-b', 'lead-7', 'lead-8', 'lead-9'];
    const messages: Message[] = Array.from({ length: 2000 }, (_, i) =>
      i % 11 === 0
        ? { partition: i % 6, value: `event ${i}` }
        : { key: keys[(i * 7) % keys.length], value: `event ${i}` },
    );
    const run = (group: typeof groupMessagesPerPartition) =>
      group({ topic: 't', partitionMetadata, messages, partitioner: keyHashPartitioner() });
    const linear = run(groupMessagesPerPartition);
    expect(linear).toEqual(run(original));
    expect(Object.values(linear).flat()).toHaveLength(2000);
    expect(Object.keys(linear).length).toBeGreaterThan(1);
  });

  it('groups nothing without partition metadata', () => {
    const partitioner = (_: PartitionerArgs) => 0;
    expect(
      groupMessagesPerPartition({
        topic: 't',
        partitionMetadata: [],
        messages: [{ value: 'x' }],
        partitioner,
      }),
    ).toEqual({});
  });
});
