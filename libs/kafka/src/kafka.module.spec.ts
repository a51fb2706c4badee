import { serviceKafkaOptions } from './kafka.module';

describe('serviceKafkaOptions', () => {
  it('gives a service its own client id and the relay timing from the environment', () => {
    const opts = serviceKafkaOptions(
      {
        KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
        KAFKA_CLIENT_ID: 'cp',
        KAFKA_TOPIC_PREFIX: 'staging.',
        OUTBOX_LINGER_MS: 7,
        OUTBOX_IDLE_POLL_MS: 900,
      },
      'leads',
      'leads',
    );
    expect(opts).toEqual({
      brokers: ['k1:9092', 'k2:9092'],
      clientId: 'cp-leads',
      topicPrefix: 'staging.',
      outboxSchema: 'leads',
      // Only a service whose environment asks for it (the executor's OUTBOX_RELAY_THREAD).
      outboxInThread: false,
      // Without a LISTEN connection the relay still polls every 50 ms (not configurable).
      outboxTiming: { lingerMs: 7, idleMs: 900, pollMs: 50 },
    });
  });

  it('runs the relay in a thread when the environment says so', () => {
    const env = {
      KAFKA_BROKERS: ['k1:9092'],
      KAFKA_CLIENT_ID: 'cp',
      KAFKA_TOPIC_PREFIX: '',
      OUTBOX_LINGER_MS: 25,
      OUTBOX_IDLE_POLL_MS: 2000,
    };
    expect(
      serviceKafkaOptions({ ...env, OUTBOX_RELAY_THREAD: true }, 'executor', 'executor'),
    ).toMatchObject({ outboxInThread: true, outboxSchema: 'executor' });
    expect(
      serviceKafkaOptions({ ...env, OUTBOX_RELAY_THREAD: false }, 'executor', 'executor'),
    ).toMatchObject({ outboxInThread: false });
  });
});
