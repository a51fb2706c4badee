import { Logger } from '@nestjs/common';
import { outboxLinesSql, outboxNotifySql, outboxTableSql } from '@app/database';
import { createKafka, createProducer, OutboxRelay, ThreadedOutboxRelay } from '@app/kafka';
import { KafkaCollector, TEST_DB, testSql } from '@app/testing';
import { Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

/** A schema holding an outbox as the services' migrations leave it (lines, NOTIFY trigger). */
function createOutboxSchema(schema: string): void {
  testSql(`CREATE SCHEMA "${schema}"`);
  for (const sql of [
    ...outboxTableSql(schema),
    ...outboxLinesSql(schema),
    ...outboxNotifySql(schema),
  ])
    testSql(sql);
}

/**
 * The relay wakes on the outbox's NOTIFY, not on its poll: here the polls are an hour apart,
 * so an event that reaches Kafka within seconds came through the notification.
 */
describe('outbox relay (LISTEN/NOTIFY)', () => {
  const schema = `relay_${randomUUID().slice(0, 8)}`;
  const settings = { brokers: ['127.0.0.1:9092'], clientId: 'e2e-relay', topicPrefix: 'test.' };
  const collector = new KafkaCollector(['test.campaign.events']);
  const ds = new DataSource({
    type: 'postgres',
    url: `postgres://postgres@127.0.0.1:5432/${TEST_DB}`,
  });
  const hour = 3_600_000;
  let producer: Producer;
  let relay: OutboxRelay;

  /** One outbox row written by another connection (psql), committed. */
  const append = (marker: string) =>
    testSql(
      `INSERT INTO "${schema}".outbox (topic, message_key, payload)
       VALUES ('campaign.events', '${marker}', '{"type": "relay.test", "marker": "${marker}"}')`,
    );
  const arrived = (marker: string) =>
    collector.waitFor((e) => e.value.type === 'relay.test' && e.value.marker === marker, 10_000);

  beforeAll(async () => {
    createOutboxSchema(schema);
    await ds.initialize();
    producer = createProducer(createKafka(settings, new Logger('kafkajs')));
    await producer.connect();
    await collector.start();
    relay = new OutboxRelay(ds, schema, producer, settings, new Logger('OutboxRelay'), 1000, {
      lingerMs: 25,
      idleMs: hour,
      pollMs: hour,
    });
  });

  afterAll(async () => {
    await relay.stop();
    await collector.stop();
    await producer.disconnect();
    await ds.destroy();
    testSql(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it('publishes rows committed before it listened, then each later commit as it happens', async () => {
    append('before');
    relay.start();
    await arrived('before');
    for (let i = 0; i < 50 && !relay.listening; i++) await new Promise((r) => setTimeout(r, 100));
    expect(relay.listening).toBe(true);
    // Idle now, with the next poll an hour away: only the notifications can wake it.
    await new Promise((r) => setTimeout(r, 300));
    append('first');
    await arrived('first');
    await new Promise((r) => setTimeout(r, 300));
    append('second');
    await arrived('second');
    expect(testSql(`SELECT count(*) FROM "${schema}".outbox`)).toBe('0');
    expect(relay.published).toBe(3);
  });

  it('is not woken by an insert that rolled back, and publishes nothing for it', async () => {
    const before = relay.published;
    testSql(
      `BEGIN; INSERT INTO "${schema}".outbox (topic, message_key, payload)
       VALUES ('campaign.events', 'gone', '{"type": "relay.test", "marker": "gone"}'); ROLLBACK;`,
    );
    append('after-rollback');
    await arrived('after-rollback');
    expect(relay.published).toBe(before + 1);
    expect(collector.events.some((e) => e.value.marker === 'gone')).toBe(false);
  });

  it('listens again after its connection is terminated, and publishes what came meanwhile', async () => {
    const killed = testSql(
      `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
        WHERE query = 'LISTEN "outbox_${schema}"'`,
    );
    expect(killed).toBe('1');
    for (let i = 0; i < 50 && relay.listening; i++) await new Promise((r) => setTimeout(r, 50));
    expect(relay.listening).toBe(false);
    append('while-down');
    for (let i = 0; i < 100 && !relay.listening; i++) await new Promise((r) => setTimeout(r, 100));
    expect(relay.listening).toBe(true);
    // The row committed while nobody listened goes out when listening resumes; later ones on
    // their notification (the poll is still an hour away).
    await arrived('while-down');
    append('after-reconnect');
    await arrived('after-reconnect');
  });
});

/**
 * The same relay in a worker thread (the executor's OUTBOX_RELAY_THREAD): its own connections
 * and producer, its state reported back to the main thread, a clean stop.
 */
describe('outbox relay in a worker thread', () => {
  const schema = `relay_${randomUUID().slice(0, 8)}`;
  const settings = {
    brokers: ['127.0.0.1:9092'],
    clientId: 'e2e-relay-thread',
    topicPrefix: 'test.',
  };
  const collector = new KafkaCollector(['test.campaign.events']);
  const worker = join(__dirname, '../dist/libs/kafka/src/outbox-relay.worker.js');
  const hour = 3_600_000;
  let relay: ThreadedOutboxRelay;

  const append = (marker: string, events = 1, key = marker) =>
    testSql(
      `INSERT INTO "${schema}".outbox (topic, message_key, payload)
       SELECT 'campaign.events', '${key}',
              jsonb_agg(jsonb_build_object('type', 'relay.thread', 'marker', '${marker}', 'n', n))
         FROM generate_series(1, ${events}) AS n`,
    );
  /** A row packed as `lines` (outboxLinesSql), as the executor's send statements write them. */
  const appendLines = (marker: string, events: number, key = marker) =>
    testSql(
      `INSERT INTO "${schema}".outbox (topic, message_key, lines, line_count)
       SELECT 'campaign.events', '${key}',
              string_agg(jsonb_build_object('type', 'relay.thread', 'marker', '${marker}', 'n', n)::text,
                         E'\\n' ORDER BY n),
              ${events}
         FROM generate_series(1, ${events}) AS n`,
    );
  const arrivals = (marker: string) =>
    collector.events.filter((e) => e.value.type === 'relay.thread' && e.value.marker === marker);

  beforeAll(async () => {
    createOutboxSchema(schema);
    await collector.start();
    relay = new ThreadedOutboxRelay(
      {
        url: `postgres://postgres@127.0.0.1:5432/${TEST_DB}`,
        applicationName: 'e2e-relay-thread',
        schema,
        settings,
        timing: { lingerMs: 25, idleMs: hour, pollMs: hour },
      },
      worker,
    );
  });

  afterAll(async () => {
    await relay.stop();
    await collector.stop();
    testSql(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it('publishes packed rows in order, deletes them, reports its state, and stops cleanly', async () => {
    // One key: Kafka keeps the order of one key's messages (one partition).
    append('packed', 5, 'ordered');
    appendLines('lines', 4, 'ordered');
    relay.start();
    await collector.waitFor(
      (e) => e.value.type === 'relay.thread' && e.value.marker === 'lines' && e.value.n === 4,
      15_000,
    );
    expect(arrivals('packed').map((e) => e.value.n)).toEqual([1, 2, 3, 4, 5]);
    // One Kafka message per line, in order, after the rows before it.
    expect(arrivals('lines').map((e) => e.value.n)).toEqual([1, 2, 3, 4]);
    const order = collector.events.filter((e) => e.value.type === 'relay.thread');
    expect(order.map((e) => `${e.value.marker}${e.value.n}`).slice(0, 9)).toEqual([
      'packed1',
      'packed2',
      'packed3',
      'packed4',
      'packed5',
      'lines1',
      'lines2',
      'lines3',
      'lines4',
    ]);
    for (let i = 0; i < 50 && !relay.listening; i++) await new Promise((r) => setTimeout(r, 100));
    expect(relay.listening).toBe(true);
    // Woken by the notification (the poll is an hour away).
    append('later');
    await collector.waitFor((e) => e.value.type === 'relay.thread' && e.value.marker === 'later');
    expect(testSql(`SELECT count(*) FROM "${schema}".outbox`)).toBe('0');
    for (let i = 0; i < 20 && relay.published < 10; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(relay.published).toBe(10);
    expect(relay.lastError).toBeNull();
    // The thread's kafkajs took the linear partition grouping, the pooled encoder, the
    // one-buffer produce request and framing (kafkajs-patches.ts), and the events above went
    // through them.
    expect(relay.kafkajs).toEqual({
      grouping: 'installed',
      encoder: 'installed',
      produce: 'installed',
      framing: 'installed',
    });
    await relay.stop();
    expect(relay.listening).toBe(false);
    // Stopped: a row written now stays in the outbox.
    append('after-stop');
    await new Promise((r) => setTimeout(r, 500));
    expect(testSql(`SELECT count(*) FROM "${schema}".outbox`)).toBe('1');
    expect(arrivals('after-stop')).toEqual([]);
  });
});
