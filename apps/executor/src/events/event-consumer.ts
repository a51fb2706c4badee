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
import { Admin, Consumer, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { Metrics } from '../metrics/metrics';
import { TopicGate } from './topic-gate';

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
  private readonly listeners: EventHandler[] = [];
  private readonly consumers: Consumer[] = [];
  private readonly joined = new Set<string>();
  private readonly wants = new Map<string, () => Promise<boolean>>();
  private readonly gates: TopicGate[] = [];
  private admin?: Admin;
  private gateTimer?: NodeJS.Timeout;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
    private readonly ds: DataSource,
    private readonly health: HealthService,
    private readonly metrics: Metrics,
  ) {}

  on<T = Record<string, unknown>>(
    type: string,
    handler: (event: EventEnvelope<T>) => Promise<void>,
  ): void {
    this.handlers.set(type, handler as unknown as EventHandler);
  }

  /** Sees every event of the subscribed topics (webhook fan-out); must be idempotent itself. */
  onAny(listener: EventHandler): void {
    this.listeners.push(listener);
  }

  /**
   * The fan-out group reads `topic` only while `wanted()` says something needs its events
   * (topic-gate.ts), asked every TOPIC_GATE_MS; what passes meanwhile is skipped. Only for the
   * fan-out's topics: every listener there must be content without those events.
   */
  gate(topic: string, wanted: () => Promise<boolean>): void {
    this.wants.set(topic, wanted);
  }

  /**
   * Two groups: campaign and lead events (lifecycle, enrollment) on their own consumer, so a
   * flood of message events (webhook fan-out only) never delays a pause.
   */
  async onApplicationBootstrap(): Promise<void> {
    this.health.register('kafka-consumer', async () => {
      if (this.joined.size < 2) throw new Error('consumer groups not joined yet');
    });
    await Promise.all([
      this.start(this.settings.clientId, [Topics.campaign, Topics.lead]),
      this.start(`${this.settings.clientId}-fanout`, [Topics.message, Topics.engagement], true),
    ]);
    if (this.gates.length) this.tickGates();
  }

  private async start(groupId: string, topics: string[], gated = false): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 100,
    });
    this.consumers.push(consumer);
    const gates = gated ? this.gatesFor(consumer, topics) : [];
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined.add(groupId);
      for (const gate of gates) gate.assign(payload.memberAssignment[gate.topic] ?? []);
    });
    await consumer.connect();
    // On a fresh cluster the first metadata request creates the topics and fails; retry.
    for (let attempt = 1; ; attempt++) {
      try {
        await consumer.subscribe({
          topics: topics.map((t) => topicName(this.settings, t)),
          fromBeginning: false,
        });
        break;
      } catch (err) {
        if (attempt >= 10) throw err;
        this.logger.warn({
          msg: 'subscribe failed, retrying',
          groupId,
          error: (err as Error).message,
        });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    await consumer.run({
      partitionsConsumedConcurrently: 4,
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        await this.handle(JSON.parse(message.value.toString()) as EventEnvelope);
      },
    });
  }

  private async handle(event: EventEnvelope): Promise<void> {
    if (!event.eventId) return;
    for (const listener of this.listeners) await listener(event);
    const handler = this.handlers.get(event.type);
    if (!handler) return;
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

  private gatesFor(consumer: Consumer, topics: string[]): TopicGate[] {
    if (!this.env.TOPIC_GATE_MS) return [];
    const gates = topics.flatMap((topic) => {
      const wanted = this.wants.get(topic);
      if (!wanted) return [];
      const name = topicName(this.settings, topic);
      const ends = async (t: string) => (await this.adminClient()).fetchTopicOffsets(t);
      // A gate starts open; the gauge says so before its first change.
      this.metrics.topicGateOpen.set({ topic: name }, 1);
      return [
        new TopicGate(consumer, ends, name, wanted, (open) => {
          this.metrics.topicGateOpen.set({ topic: name }, open ? 1 : 0);
          this.logger.log({ msg: open ? 'topic gate opened' : 'topic gate closed', topic: name });
        }),
      ];
    });
    this.gates.push(...gates);
    return gates;
  }

  private async adminClient(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  /** One tick of every gate, then the next after TOPIC_GATE_MS (never two at once). */
  private tickGates(): void {
    void Promise.all(
      this.gates.map((gate) =>
        gate.tick().catch((err: Error) =>
          this.logger.warn({
            msg: 'topic gate check failed',
            topic: gate.topic,
            error: err.message,
          }),
        ),
      ),
    ).then(() => {
      if (this.gates.length)
        this.gateTimer = setTimeout(() => this.tickGates(), this.env.TOPIC_GATE_MS);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.gateTimer);
    this.gates.length = 0;
    await Promise.all(this.consumers.map((c) => c.disconnect()));
    await this.admin?.disconnect();
  }
}
