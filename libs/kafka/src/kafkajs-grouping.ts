import type { Message, PartitionerArgs, PartitionMetadata } from 'kafkajs';

/** kafkajs' own module that groups a produce request's messages per partition. */
export const GROUPING_MODULE = 'kafkajs/src/producer/groupMessagesPerPartition';

interface GroupingArgs {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  messages: Message[];
  partitioner: (args: PartitionerArgs) => number;
}

/**
 * The same grouping as kafkajs 2.2's `groupMessagesPerPartition`, in one pass. Its own copies a
 * partition's array once per message added to it: quadratic in the messages of one partition,
 * and all of a campaign's events share a key, so one partition. A 1,000-event publish copied
 * ~500,000 array slots: a third of the bytes the executor allocated while sending, and ~6 % of
 * its CPU (docs/executor.md, "Eighth pass"). Upstream's fix (tulios/kafkajs#1576) is not in a
 * release.
 */
export function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: GroupingArgs): Record<number, Message[]> {
  if (partitionMetadata.length === 0) return {};
  const groups: Record<number, Message[]> = {};
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (groups[partition] ??= []).push(message);
  }
  return groups;
}
