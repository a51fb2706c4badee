import { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { outboxChannel } from '@app/database/outbox-channel';
import { KafkaSettings, topicName } from './kafka-client';
import { LogSink } from './log-sink';

/** How the relay waits between publishes (milliseconds). */
export interface RelayTiming {
  /** After a publish that moved rows: how long more may gather before the next one. */
  lingerMs: number;
  /** Nothing to publish and notifications working: the safety-net poll. */
  idleMs: number;
  /** Nothing to publish and no LISTEN connection: poll this often instead. */
  pollMs: number;
}

export const DEFAULT_TIMING: RelayTiming = { lingerMs: 25, idleMs: 2000, pollMs: 50 };

/** A lost LISTEN connection is opened again after this long (meanwhile the relay polls). */
const LISTEN_RETRY_MS = 1000;

/** The parts of node-postgres' Pool the relay uses to open its LISTEN connection. */
interface ListenConnection {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'error', fn: (err: Error) => void): void;
  on(event: 'end' | 'notification', fn: () => void): void;
}
interface PgPool {
  Client: new (options: unknown) => ListenConnection;
  options: unknown;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  /**
   * One event, the jsonb as Postgres prints it, or with `lines` the row's events one per line:
   * published as is, never parsed and re-serialised here.
   */
  payload: string | null;
  lines: boolean;
}

/**
 * What a service holds of its outbox relay, whether it runs in the service's own thread
 * (OutboxRelay) or in a worker thread (ThreadedOutboxRelay): injected as OUTBOX_RELAY, null
 * in a service without an outbox.
 */
export interface Relay {
  start(): void;
  stop(): Promise<void>;
  /** Lets a writer ask for an immediate publish instead of waiting for the next poll. */
  poke(): void;
  /** The last failure to publish, until a publish succeeds. */
  readonly lastError: string | null;
  /** Events published since start. */
  readonly published: number;
  /** Whether new rows wake the relay (LISTEN connection up) rather than the poll finding them. */
  readonly listening: boolean;
}

export const OUTBOX_RELAY = Symbol('OUTBOX_RELAY');

/**
 * Publishes a schema's outbox to Kafka, oldest first, and deletes what Kafka acknowledged.
 * A row's payload is one event, or a JSON array of events (a set-based writer packs the events
 * of one statement and one key into one row, as the executor's delivery ledger does): the array's elements are
 * published as separate Kafka messages, in order, with the row's topic and key.
 * One relay at a time holds a transaction-scoped advisory lock, so replicas don't publish
 * the same rows twice or reorder one campaign's events. The relay sleeps until the outbox's
 * trigger NOTIFYs (LISTEN on a connection of its own), publishes, then lets `lingerMs` pass so
 * that rows arriving together go together; a slow poll covers a missed notification. A crash between the Kafka ack and
 * the delete republishes those rows; consumers deduplicate by eventId.
 */
export class OutboxRelay implements Relay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A wake-up that came while no wakeable wait was in progress: the next one returns at once. */
  private woken = false;
  private listener: ListenConnection | null = null;
  private listenRetry?: NodeJS.Timeout;
  lastError: string | null = null;
  published = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly schema: string,
    private readonly producer: Producer,
    private readonly settings: KafkaSettings,
    /** A Nest Logger named `OutboxRelay` in a service; the relay thread forwards to it. */
    private readonly logger: LogSink,
    /** Events per publish (a packed row is taken whole, so one publish may pass it by one row). */
    private readonly batchSize = 1000,
    private readonly timing: RelayTiming = DEFAULT_TIMING,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.listenRetry);
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }

  /** Lets a writer ask for an immediate publish instead of waiting for the next poll. */
  poke(): void {
    this.woken = true;
    this.wake?.();
  }

  /** Whether new rows wake the relay (LISTEN connection up) rather than the poll finding them. */
  get listening(): boolean {
    return this.listener !== null;
  }

  /**
   * A connection of its own (outside the pool) that LISTENs on the schema's outbox channel: the
   * outbox's statement trigger notifies at every commit that added rows, so the relay wakes
   * then instead of polling. If it drops, the relay polls every `pollMs` until it is back.
   */
  private async listen(): Promise<void> {
    if (!this.running) return;
    const pool = (this.ds.driver as unknown as { master: PgPool }).master;
    const client = new pool.Client(pool.options);
    let lost = false;
    // Once per connection, however it went: 'error' and 'end' can both come, and so does the
    // 'end' of our own client.end() below.
    const retry = (err: Error) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
      if (!this.running) return;
      this.logger.warn({
        msg: 'outbox listen connection lost, polling until it is back',
        schema: this.schema,
        error: err.message,
      });
      clearTimeout(this.listenRetry);
      this.listenRetry = setTimeout(() => void this.listen(), LISTEN_RETRY_MS);
    };
    client.on('error', retry);
    // A server-side termination of an idle connection may only end it.
    client.on('end', () => retry(new Error('connection ended')));
    client.on('notification', () => this.poke());
    try {
      await client.connect();
      await client.query(`LISTEN "${outboxChannel(this.schema)}"`);
      if (!this.running) return void client.end().catch(() => undefined);
      this.listener = client;
      // Rows committed before LISTEN took effect announced themselves to nobody.
      this.poke();
    } catch (err) {
      retry(err as Error);
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let moved = 0;
      // This publish covers every notification so far (it reads whatever is committed).
      this.woken = false;
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
        await this.sleep(1000, false);
      }
      if (moved >= this.batchSize) continue;
      // Rows came: let more gather before the next publish (fewer, larger Kafka requests and
      // relay transactions under load; an event waits at most this long). No rows: wait for a
      // notification, or poll now and then in case one was missed.
      if (moved > 0) await this.sleep(this.timing.lingerMs, false);
      else await this.sleep(this.listening ? this.timing.idleMs : this.timing.pollMs, true);
    }
  }

  /** `woken` is cleared by run() before each publish, which covers every wake-up before it. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    // A stop() that came during a publish found no wait to end: none may start after it.
    if (!this.running || (wakeable && this.woken)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      // stop() always ends a wait; a notification only ends a wakeable one.
      this.wake = () => (wakeable || !this.running ? done() : undefined);
    });
  }

  async publishBatch(): Promise<number> {
    return this.ds.transaction(async (manager) => {
      const [{ locked }] = await manager.query(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [`outbox:${this.schema}`],
      );
      if (!locked) return 0;
      // Rows oldest first while the events before them are fewer than batchSize. A jsonb array
      // is unnested here and `lines` come whole (split below), so the relay never parses or
      // re-serialises an event.
      const rows: OutboxRow[] = await manager.query(
        `WITH o AS (
           SELECT id, topic, message_key, payload, lines, events,
                  sum(events) OVER (ORDER BY id) AS upto
             FROM (SELECT *, CASE WHEN lines IS NOT NULL THEN line_count
                                  WHEN jsonb_typeof(payload) = 'array' THEN jsonb_array_length(payload)
                                  ELSE 1 END AS events
                     FROM "${this.schema}".outbox) x
            ORDER BY id LIMIT $1),
         first AS (SELECT min(id) AS id FROM o)
         SELECT o.id, o.topic, o.message_key, COALESCE(o.lines, e.value::text) AS payload,
                o.lines IS NOT NULL AS lines
           FROM o CROSS JOIN first
           LEFT JOIN LATERAL jsonb_array_elements(
             CASE WHEN o.lines IS NOT NULL THEN NULL
                  WHEN jsonb_typeof(o.payload) = 'array' THEN o.payload
                  ELSE jsonb_build_array(o.payload) END) WITH ORDINALITY AS e(value, n) ON true
          WHERE o.upto - o.events < $1 OR o.id = first.id
          ORDER BY o.id, e.n`,
        [this.batchSize],
      );
      if (!rows.length) return 0;
      const messages: { topic: string; key: string; value: string }[] = [];
      for (const row of rows) {
        if (row.payload === null) continue;
        const key = row.message_key;
        if (!row.lines) messages.push({ topic: row.topic, key, value: row.payload });
        else
          for (const value of row.payload.split('\n'))
            messages.push({ topic: row.topic, key, value });
      }
      // At most batchSize messages per produce request (a packed row is taken whole, so one
      // batch can hold more): a partition's record batch stays under the broker's size limit.
      // Chunks go one after the other, so a key's events keep their order.
      for (let i = 0; i < messages.length; i += this.batchSize) {
        const byTopic = new Map<string, { key: string; value: string }[]>();
        for (const { topic, key, value } of messages.slice(i, i + this.batchSize)) {
          const list = byTopic.get(topic) ?? [];
          list.push({ key, value });
          byTopic.set(topic, list);
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
