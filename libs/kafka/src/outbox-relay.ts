import { Logger } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { KafkaSettings, topicName } from './kafka-client';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  /** The jsonb as Postgres prints it: published as is, never parsed and re-serialised here. */
  payload: string;
}

/**
 * Publishes a schema's outbox to Kafka, oldest first, and deletes what Kafka acknowledged.
 * One relay at a time holds a transaction-scoped advisory lock, so replicas don't publish
 * the same rows twice or reorder one campaign's events. A crash between the Kafka ack and
 * the delete republishes those rows; consumers deduplicate by eventId.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  lastError: string | null = null;
  published = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
    private readonly producer: Producer,
    private readonly settings: KafkaSettings,
    private readonly batchSize = 1000,
    private readonly idleMs = 50,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Lets a writer ask for an immediate publish instead of waiting for the next poll. */
  poke(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let moved = 0;
      try {
        moved = await this.publishBatch();
        this.lastError = null;
      } catch (err) {
        this.lastError = (err as Error).message;
        this.logger.warn({
          msg: 'outbox publish failed, will retry',
          schema: this.schema,
          error: this.lastError,
        });
        await this.sleep(1000);
      }
      if (moved < this.batchSize) await this.sleep(this.idleMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async publishBatch(): Promise<number> {
    return this.ds.transaction(async (manager) => {
      const [{ locked }] = await manager.query(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [`outbox:${this.schema}`],
      );
      if (!locked) return 0;
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, topic, message_key, payload::text AS payload FROM "${this.schema}".outbox
          ORDER BY id LIMIT $1`,
        [this.batchSize],
      );
      if (!rows.length) return 0;
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const row of rows) {
        const list = byTopic.get(row.topic) ?? [];
        list.push({ key: row.message_key, value: row.payload });
        byTopic.set(row.topic, list);
      }
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({
          topic: topicName(this.settings, topic),
          messages,
        })),
      });
      await manager.query(`DELETE FROM "${this.schema}".outbox WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      this.published += rows.length;
      return rows.length;
    });
  }
}
