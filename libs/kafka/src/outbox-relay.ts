import { Logger } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { KafkaSettings, topicName } from './kafka-client';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  /** The jsonb as Postgres prints it: published as is, never parsed and re-serialised here. */
  payload: string | null;
}

/**
 * Publishes a schema's outbox to Kafka, oldest first, and deletes what Kafka acknowledged.
 * A row's payload is one event, or a JSON array of events (a set-based writer packs the events
 * of one statement and one key into one row, as the executor's delivery ledger does): the array's elements are
 * published as separate Kafka messages, in order, with the row's topic and key.
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
    /** Events per publish (a packed row is taken whole, so one publish may pass it by one row). */
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
      // Rows oldest first while the events before them are fewer than batchSize; packed rows
      // are unnested here, so the relay never parses or re-serialises a payload.
      const rows: OutboxRow[] = await manager.query(
        `WITH o AS (
           SELECT id, topic, message_key, payload,
                  sum(CASE WHEN jsonb_typeof(payload) = 'array' THEN jsonb_array_length(payload)
                           ELSE 1 END) OVER (ORDER BY id) AS upto
             FROM "${this.schema}".outbox ORDER BY id LIMIT $1),
         first AS (SELECT min(id) AS id FROM o)
         SELECT o.id, o.topic, o.message_key, e.value::text AS payload
           FROM o CROSS JOIN first
           LEFT JOIN LATERAL jsonb_array_elements(
             CASE WHEN jsonb_typeof(o.payload) = 'array' THEN o.payload
                  ELSE jsonb_build_array(o.payload) END) WITH ORDINALITY AS e(value, n) ON true
          WHERE o.upto - (CASE WHEN jsonb_typeof(o.payload) = 'array'
                               THEN jsonb_array_length(o.payload) ELSE 1 END) < $1
             OR o.id = first.id
          ORDER BY o.id, e.n`,
        [this.batchSize],
      );
      if (!rows.length) return 0;
      // At most batchSize messages per produce request (a packed row is taken whole, so one
      // batch can hold more): a partition's record batch stays under the broker's size limit.
      // Chunks go one after the other, so a key's events keep their order.
      const messages = rows.filter((r): r is OutboxRow & { payload: string } => r.payload !== null);
      for (let i = 0; i < messages.length; i += this.batchSize) {
        const byTopic = new Map<string, { key: string; value: string }[]>();
        for (const row of messages.slice(i, i + this.batchSize)) {
          const list = byTopic.get(row.topic) ?? [];
          list.push({ key: row.message_key, value: row.payload });
          byTopic.set(row.topic, list);
        }
        await this.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, list]) => ({
            topic: topicName(this.settings, topic),
            messages: list,
          })),
        });
      }
      await manager.query(`DELETE FROM "${this.schema}".outbox WHERE id = ANY($1::bigint[])`, [
        [...new Set(rows.map((r) => r.id))],
      ]);
      this.published += messages.length;
      return rows.length;
    });
  }
}
