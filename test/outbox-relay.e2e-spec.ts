import { outboxNotifySql, outboxTableSql } from '@app/database';
import { createKafka, createProducer, OutboxRelay } from '@app/kafka';
import { KafkaCollector, TEST_DB, testSql } from '@app/testing';
import { Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

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
    testSql(`CREATE SCHEMA "${schema}"`);
    for (const sql of [...outboxTableSql(schema), ...outboxNotifySql(schema)]) testSql(sql);
    await ds.initialize();
    producer = createProducer(createKafka(settings));
    await producer.connect();
    await collector.start();
    relay = new OutboxRelay(ds, schema, producer, settings, 1000, {
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
