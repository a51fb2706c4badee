import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, logLevel } from 'kafkajs';

export interface CollectedEvent {
  topic: string;
  key: string | null;
  partition: number;
  value: any;
}

/** Reads a topic from the latest offset in a throwaway group and keeps what arrives. */
export class KafkaCollector {
  readonly events: CollectedEvent[] = [];
  private consumer?: Consumer;

  constructor(private readonly topics: string[]) {}

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'e2e-collector',
      brokers: ['127.0.0.1:9092'],
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({ groupId: `e2e-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: false });
    let assigned!: () => void;
    const ready = new Promise<void>((resolve) => (assigned = resolve));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => assigned());
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.events.push({
          topic,
          partition,
          key: message.key?.toString() ?? null,
          value: JSON.parse(message.value!.toString()),
        });
      },
    });
    await ready;
  }

  async waitFor(
    predicate: (e: CollectedEvent) => boolean,
    timeoutMs = 20000,
  ): Promise<CollectedEvent> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.events.find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `no matching event within ${timeoutMs} ms; saw ${this.events.map((e) => e.value?.type).join(', ') || 'nothing'}`,
    );
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
