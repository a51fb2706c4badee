import { HealthService } from '@app/common';
import { Topics } from '@app/contracts';
import { KAFKA, KAFKA_SETTINGS, KafkaSettings, topicName } from '@app/kafka';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Consumer, ConsumerRunConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ANALYTICS_ENV, AnalyticsEnv } from '../config';
import { EventRow, parseEvent } from './event-row';
import { ingestBatch } from './ingest-batch.sql';
import { IngestLanes } from './ingest-lanes';
import { key, OffsetStore } from './offset-store';

const RETRYABLE_PG = new Set(['40P01', '40001']);
/** How often offsets already committed in Postgres are copied to Kafka (only a hint there). */
const KAFKA_COMMIT_INTERVAL_MS = 5000;

/**
 * One consumer group over the four topics. Each chunk of a partition's batch is one Postgres
 * transaction: raw events (deduplicated by eventId), rollups, projections and the partition's
 * next offset. On assignment the consumer seeks to the offsets stored in Postgres.
 *
 * eachBatch only queues a batch on its partition's lane (ingest-lanes.ts) and returns, so kafkajs
 * fetches the next data while Postgres ingests; lanes keep each partition in order. Kafka is
 * told an offset only once Postgres holds it (autoCommit off), so Kafka's commits, which only
 * matter for a group Postgres has never seen, can never run ahead of the rows. On a failed
 * transaction or a rebalance the queued work is dropped and the consumer resumes from Postgres.
 */
@Injectable()
export class IngestionConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Ingestion');
  private consumer?: Consumer;
  private readonly offsets: OffsetStore;
  /** Next offset per partition already reflected in Postgres; anything below is skipped. */
  private readonly floor = new Map<string, bigint>();
  /** Postgres offsets not yet copied to Kafka. */
  private readonly toCommit = new Map<
    string,
    { topic: string; partition: number; offset: string }
  >();
  private lastKafkaCommit = 0;
  private lanes!: IngestLanes<KafkaMessage>;
  private readonly partitions = new Map<string, { topic: string; partition: number }>();
  private runConfig!: ConsumerRunConfig;
  private restarting = false;
  private stopping = false;
  readonly stats = {
    ingested: 0,
    duplicates: 0,
    rejected: 0,
    transactions: 0,
    lastBatchSize: 0,
    lastStatementMs: 0,
  };
  lastError: string | null = null;

  constructor(
    private readonly ds: DataSource,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    @Inject(ANALYTICS_ENV) private readonly env: AnalyticsEnv,
    private readonly health: HealthService,
  ) {
    this.offsets = new OffsetStore(this.groupId);
  }

  get groupId(): string {
    return this.settings.clientId;
  }

  get topics(): string[] {
    return Object.values(Topics).map((t) => topicName(this.settings, t));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.health.register('ingestion', async () => {
      if (this.lastError) throw new Error(this.lastError);
      return { groupId: this.groupId, ...this.stats };
    });
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      // A replica that dies (kill -9) hands its partitions over after this, not kafkajs's 30 s.
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      retry: {
        retries: 10,
        restartOnFailure: async (err) => {
          this.logger.error({ msg: 'consumer crashed, restarting', error: err.message });
          return true;
        },
      },
    });
    this.lanes = new IngestLanes<KafkaMessage>({
      concurrency: this.env.ANALYTICS_PARTITIONS_CONCURRENCY,
      batchSize: this.env.ANALYTICS_BATCH_SIZE,
      maxQueued: this.env.ANALYTICS_BATCH_SIZE * this.env.ANALYTICS_PARTITIONS_CONCURRENCY,
      process: (lane, messages) => this.ingestQueued(lane, messages),
      onError: (lane, err) => void this.restart(lane, err),
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      // A new assignment: whatever was queued is dropped and refetched from Postgres' offsets.
      this.lanes.cancelAll();
      void this.seekToStored(e.payload.memberAssignment).catch((err: Error) =>
        this.logger.error({ msg: 'seek to stored offsets failed', error: err.message }),
      );
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    this.runConfig = {
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.env.ANALYTICS_PARTITIONS_CONCURRENCY,
      eachBatch: (payload) => this.eachBatch(payload),
    };
    this.consumer = consumer;
    await consumer.run(this.runConfig);
    this.logger.log({ msg: 'consuming', groupId: this.groupId, topics: this.topics });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.lanes?.cancelAll();
    await this.lanes?.idle();
    await this.consumer?.disconnect();
  }

  /**
   * A transaction failed for good: drop everything queued, wait for what runs, and run the
   * consumer again, which rejoins the group and resumes every partition from Postgres' offsets.
   */
  private async restart(lane: string, err: Error): Promise<void> {
    this.lastError = err.message;
    this.logger.error({
      msg: 'ingestion failed, resuming from stored offsets',
      lane,
      error: err.message,
    });
    if (this.restarting || this.stopping || !this.consumer) return;
    this.restarting = true;
    try {
      this.lanes.cancelAll();
      await this.consumer.stop();
      await this.lanes.idle();
      await new Promise((r) => setTimeout(r, 1000));
      if (!this.stopping) await this.consumer.run(this.runConfig);
    } catch (e) {
      this.logger.error({ msg: 'consumer restart failed', error: (e as Error).message });
    } finally {
      this.restarting = false;
    }
  }

  private async seekToStored(assignment: Record<string, number[]>): Promise<void> {
    const stored = await this.offsets.load(this.ds.manager, Object.keys(assignment));
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const next = stored.get(key(topic, partition));
        if (next === undefined) continue;
        this.raiseFloor(key(topic, partition), next);
        this.consumer?.seek({ topic, partition, offset: next.toString() });
      }
    }
    this.logger.log({ msg: 'partitions assigned', assignment, stored: stored.size });
  }

  private raiseFloor(k: string, next: bigint): void {
    if (next > (this.floor.get(k) ?? -1n)) this.floor.set(k, next);
  }

  private async eachBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    const { topic, partition } = batch;
    const k = key(topic, partition);
    if (!p.isRunning() || p.isStale() || this.restarting || !batch.messages.length) return;
    this.partitions.set(k, { topic, partition });
    this.lanes.push(k, batch.messages);
    p.resolveOffset(batch.lastOffset());
    await this.commitToKafka(p);
    while (this.lanes.full && p.isRunning() && !this.restarting) {
      await this.lanes.room(1000);
      await p.heartbeat();
    }
    await p.heartbeat();
  }

  /** What a lane took from its queue: one transaction, minus what Postgres already holds. */
  private async ingestQueued(lane: string, messages: KafkaMessage[]): Promise<void> {
    const { topic, partition } = this.partitions.get(lane)!;
    const next = BigInt(messages[messages.length - 1].offset) + 1n;
    const floor = this.floor.get(lane) ?? -1n;
    const fresh = messages.filter((m) => BigInt(m.offset) >= floor);
    if (fresh.length) await this.ingest(topic, partition, fresh, next);
  }

  private async commitToKafka(p: EachBatchPayload): Promise<void> {
    if (Date.now() - this.lastKafkaCommit < KAFKA_COMMIT_INTERVAL_MS || !this.toCommit.size) return;
    this.lastKafkaCommit = Date.now();
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, offset } of this.toCommit.values())
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset }]);
    this.toCommit.clear();
    const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    await p
      .commitOffsetsIfNecessary({ topics })
      .catch((err: Error) =>
        this.logger.warn({ msg: 'kafka offset commit skipped', error: err.message }),
      );
  }

  private async ingest(topic: string, partition: number, messages: KafkaMessage[], next: bigint) {
    const rows = new Map<string, EventRow>();
    for (const m of messages) {
      const parsed = parseEvent(m.value);
      if ('row' in parsed) rows.set(parsed.row.eventId, parsed.row);
      else {
        this.stats.rejected++;
        this.logger.warn({
          msg: 'event rejected',
          topic,
          partition,
          offset: m.offset,
          reason: parsed.rejected,
        });
      }
    }
    const list = [...rows.values()];
    for (let attempt = 1; ; attempt++) {
      try {
        const shard = this.topics.indexOf(topic) * 1000 + partition;
        const position = { groupId: this.groupId, topic, partition, next, shard };
        const started = performance.now();
        const result = await ingestBatch(this.ds, list, position);
        this.stats.lastStatementMs = Math.round(performance.now() - started);
        this.stats.lastBatchSize = list.length;
        this.raiseFloor(key(topic, partition), next);
        this.toCommit.set(key(topic, partition), { topic, partition, offset: next.toString() });
        this.stats.transactions++;
        this.stats.ingested += result.inserted;
        this.stats.duplicates += list.length - result.inserted;
        this.lastError = null;
        return;
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        this.lastError = (err as Error).message;
        if (!RETRYABLE_PG.has(code) || attempt >= 5) throw err;
        this.logger.warn({ msg: 'ingestion transaction retried', topic, partition, code, attempt });
      }
    }
  }
}
