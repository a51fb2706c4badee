import { HealthService } from '@app/common';
import { EventEnvelope, Topics } from '@app/contracts';
import { KAFKA, KAFKA_SETTINGS, KafkaSettings, topicName } from '@app/kafka';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Consumer, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';

export type EventHandler = (event: EventEnvelope) => Promise<void>;

/**
 * The executor's consumer group (named after KAFKA_CLIENT_ID) on campaign and lead events.
 * Handlers are idempotent; an event id is recorded after its handler succeeded, so a
 * redelivered event is skipped and a failed one is retried (kafkajs re-reads it).
 */
@Injectable()
export class EventConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventConsumer');
  private readonly handlers = new Map<string, EventHandler>();
  private consumer?: Consumer;
  private joined = false;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    private readonly ds: DataSource,
    private readonly health: HealthService,
  ) {}

  on<T = Record<string, unknown>>(
    type: string,
    handler: (event: EventEnvelope<T>) => Promise<void>,
  ): void {
    this.handlers.set(type, handler as unknown as EventHandler);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.health.register('kafka-consumer', async () => {
      if (!this.joined) throw new Error('consumer group not joined yet');
    });
    const consumer = this.kafka.consumer({
      groupId: this.settings.clientId,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.joined = true));
    await consumer.connect();
    await consumer.subscribe({
      topics: [topicName(this.settings, Topics.campaign), topicName(this.settings, Topics.lead)],
      fromBeginning: false,
    });
    await consumer.run({
      partitionsConsumedConcurrently: 4,
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        await this.handle(JSON.parse(message.value.toString()) as EventEnvelope);
      },
    });
  }

  private async handle(event: EventEnvelope): Promise<void> {
    const handler = this.handlers.get(event.type);
    if (!handler || !event.eventId) return;
    const seen = await this.ds.query(
      'SELECT 1 FROM executor.processed_events WHERE event_id = $1',
      [event.eventId],
    );
    if (seen.length) return;
    try {
      await handler(event);
    } catch (err) {
      this.logger.error({
        msg: 'event handler failed',
        type: event.type,
        eventId: event.eventId,
        campaignId: event.campaignId,
        error: (err as Error).message,
      });
      throw err;
    }
    await this.ds.query(
      'INSERT INTO executor.processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING',
      [event.eventId],
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
