// First: kafkajs, loaded by the imports below, must find its replacements in place.
import { kafkajsPatches } from './install-kafkajs-patches';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { createKafka, createProducer } from './kafka-client';
import { LogSink } from './log-sink';
import { OutboxRelay } from './outbox-relay';
import type { RelayThreadData, RelayThreadReport } from './relay-thread';

/**
 * One service's outbox relay in a worker thread of its own (relay-thread.ts), with its own
 * Kafka producer and its own small pool of two connections. The pool is plain node-postgres
 * behind the two things OutboxRelay asks of a DataSource (a transaction, and the pool to open
 * its LISTEN connection from), so the thread does not load TypeORM. It reports its state to the
 * main thread every 250 ms, and once more when it has stopped. What the relay and kafkajs log
 * here goes to the main thread, which logs it through the service's own logger.
 */
const data = workerData as RelayThreadData;
const port = parentPort!;

/** Log entries under `context`, sent to the main thread, which logs them with Nest's Logger. */
function forwarding(context: string): LogSink {
  const forward =
    (level: keyof LogSink) =>
    (message: unknown): void => {
      try {
        port.postMessage({ log: { level, message, context } });
      } catch {
        // Something that cannot be cloned (a class instance, a function): its text, then.
        port.postMessage({ log: { level, message: String(message), context } });
      }
    };
  return { log: forward('log'), warn: forward('warn'), error: forward('error') };
}

function relayDatabase(pool: Pool): DataSource {
  const transaction = async <T>(
    work: (m: { query: (sql: string, params?: unknown[]) => Promise<unknown[]> }) => Promise<T>,
  ): Promise<T> => {
    const client: PoolClient = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({
        query: async (sql, params) => (await client.query(sql, params)).rows,
      });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  return { transaction, driver: { master: pool } } as unknown as DataSource;
}

async function main(): Promise<void> {
  const pool = new Pool({
    connectionString: data.url,
    application_name: data.applicationName,
    max: 2,
  });
  // An idle connection the server ends is dropped from the pool; nothing else to do.
  pool.on('error', () => undefined);
  if (Object.values(kafkajsPatches).some((install) => install !== 'installed'))
    forwarding('OutboxRelay').warn({
      msg: 'kafkajs runs with some of its own encoding (grouping, encoder, produce request, framing), which costs more CPU',
      kafkajs: kafkajsPatches,
    });
  const producer = createProducer(createKafka(data.settings, forwarding('kafkajs')));
  await producer.connect();
  const relay = new OutboxRelay(
    relayDatabase(pool),
    data.schema,
    producer,
    data.settings,
    forwarding('OutboxRelay'),
    undefined,
    data.timing,
  );
  const report = (stopped = false) =>
    port.postMessage({
      lastError: relay.lastError,
      published: relay.published,
      listening: relay.listening,
      stopped,
      kafkajs: kafkajsPatches,
    } satisfies RelayThreadReport);
  const timer = setInterval(report, 250);
  port.on('message', (message: 'poke' | 'stop') => {
    if (message === 'poke') return relay.poke();
    clearInterval(timer);
    void relay
      .stop()
      .then(() => producer.disconnect())
      .then(() => pool.end())
      .catch(() => undefined)
      .finally(() => report(true));
  });
  relay.start();
  report();
}

main().catch((err: Error) => {
  port.postMessage({
    lastError: `relay thread could not start: ${err.message}`,
    published: 0,
    listening: false,
    stopped: false,
    kafkajs: kafkajsPatches,
    failed: true,
  } satisfies RelayThreadReport);
});
