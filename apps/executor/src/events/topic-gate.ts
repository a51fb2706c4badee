/** The parts of a kafkajs consumer the gate drives. */
export interface GatedConsumer {
  pause(topics: { topic: string }[]): void;
  resume(topics: { topic: string }[]): void;
  seek(at: { topic: string; partition: number; offset: string }): void;
}

/** Where each partition of a topic ends now (kafkajs admin.fetchTopicOffsets). */
export type TopicEnds = (topic: string) => Promise<{ partition: number; high: string }[]>;

/**
 * Stops a consumer from reading a topic while nothing wants its events, and skips what passes
 * meanwhile. The executor's fan-out group reads `message.events` only to turn them into
 * webhook deliveries; a workspace rarely subscribes to message events, and reading two events
 * per message sent back from Kafka just to drop them cost ~5 % of the executor while sending.
 *
 * Each `tick` asks `wanted()`. No: the topic is paused and its partitions held by this member
 * are moved to the end the topic had *before* the question was asked, so an event produced
 * after a subscription appeared is never skipped, and the group's committed offsets follow the
 * topic (no lag, nothing replayed after a restart). Yes again: the topic is resumed.
 */
export class TopicGate {
  private open = true;
  private partitions: number[] = [];
  private readonly movedTo = new Map<number, string>();

  constructor(
    private readonly consumer: GatedConsumer,
    private readonly ends: TopicEnds,
    readonly topic: string,
    private readonly wanted: () => Promise<boolean>,
    private readonly onChange: (open: boolean) => void = () => undefined,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  /** The topic's partitions this member holds (the consumer group's assignment). */
  assign(partitions: number[]): void {
    this.partitions = partitions;
    this.movedTo.clear();
  }

  async tick(): Promise<void> {
    if (this.open) {
      if (await this.wanted()) return;
      this.open = false;
      this.consumer.pause([{ topic: this.topic }]);
      this.onChange(false);
      return;
    }
    // The ends first, the question second: a subscription made after the answer finds
    // everything produced after these offsets still unread.
    const ends = await this.ends(this.topic);
    if (await this.wanted()) {
      this.open = true;
      this.movedTo.clear();
      this.consumer.resume([{ topic: this.topic }]);
      this.onChange(true);
      return;
    }
    // Again each time: a consumer restarted after a crash forgets its paused topics.
    this.consumer.pause([{ topic: this.topic }]);
    for (const { partition, high } of ends) {
      if (!this.partitions.includes(partition) || this.movedTo.get(partition) === high) continue;
      this.consumer.seek({ topic: this.topic, partition, offset: high });
      this.movedTo.set(partition, high);
    }
  }
}
