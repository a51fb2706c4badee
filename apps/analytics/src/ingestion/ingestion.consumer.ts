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
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ANALYTICS_ENV, AnalyticsEnv } from '../config';
import { EventRow, parseEvent } from './event-row';
import { ingestBatch } from './ingest-batch.sql';
import { key, OffsetStore } from './offset-store';

const RETRYABLE_PG = new Set(['40P01', '40001']);

/**
 * One consumer group over the four topics. Each chunk of a partition's batch is one Postgres
 * transaction: raw events (deduplicated by eventId), rollups, projections and the partition's
 * next offset. On assignment the consumer seeks to the offsets stored in Postgres; Kafka's own
 * commits only matter for a group Postgres has never seen.
 */
@Injectable()
export class IngestionConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Ingestion');
  private consumer?: Consumer;
  private readonly offsets: OffsetStore;
  /** Next offset per partition already reflected in Postgres; anything below is skipped. */
  private readonly floor = new Map<string, bigint>();
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
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      void this.seekToStored(e.payload.memberAssignment).catch((err: Error) =>
        this.logger.error({ msg: 'seek to stored offsets failed', error: err.message }),
      );
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.env.ANALYTICS_PARTITIONS_CONCURRENCY,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.consumer = consumer;
    this.logger.log({ msg: 'consuming', groupId: this.groupId, topics: this.topics });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async seekToStored(assignment: Record<string, number[]>): Promise<void> {
    const stored = await this.offsets.load(this.ds.manager, Object.keys(assignment));
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const next = stored.get(key(topic, partition));
        if (next === undefined) continue;
        this.floor.set(key(topic, partition), next);
        this.consumer?.seek({ topic, partition, offset: next.toString() });
      }
    }
    this.logger.log({ msg: 'partitions assigned', assignment, stored: stored.size });
  }

  private async eachBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    const k = key(batch.topic, batch.partition);
    const size = this.env.ANALYTICS_BATCH_SIZE;
    for (let i = 0; i < batch.messages.length; i += size) {
      if (!p.isRunning() || p.isStale()) return;
      const chunk = batch.messages.slice(i, i + size);
      const last = chunk[chunk.length - 1].offset;
      const floor = this.floor.get(k) ?? -1n;
      const fresh = chunk.filter((m) => BigInt(m.offset) >= floor);
      if (fresh.length) await this.ingest(batch.topic, batch.partition, fresh, BigInt(last) + 1n);
      p.resolveOffset(last);
      await p.heartbeat();
    }
    await p.commitOffsetsIfNecessary();
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
        this.floor.set(key(topic, partition), next);
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
