import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { HealthService } from '@app/common';
import { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createKafka, createProducer, KAFKA_SETTINGS, KafkaSettings } from './kafka-client';
import { DEFAULT_TIMING, OUTBOX_RELAY, OutboxRelay, Relay, RelayTiming } from './outbox-relay';
import { relayThreadAvailable, ThreadedOutboxRelay } from './relay-thread';

export const KAFKA = Symbol('KAFKA');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');

export interface KafkaModuleOptions extends KafkaSettings {
  /** Schema whose outbox this service relays to Kafka; omit for consume-only services. */
  outboxSchema?: string;
  outboxTiming?: RelayTiming;
  /** Run the relay in a worker thread (relay-thread.ts) where the compiled worker exists. */
  outboxInThread?: boolean;
}

/** The Kafka part of a service's validated environment (libs/config `kafkaEnv`). */
export interface KafkaEnvValues {
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID: string;
  KAFKA_TOPIC_PREFIX: string;
  OUTBOX_LINGER_MS: number;
  OUTBOX_IDLE_POLL_MS: number;
  /** Only services that set it (the executor) relay from a thread. */
  OUTBOX_RELAY_THREAD?: boolean;
}

/** A service's KafkaModule options from its environment: its own client id, its outbox. */
export function serviceKafkaOptions(
  env: KafkaEnvValues,
  service: string,
  outboxSchema?: string,
): KafkaModuleOptions {
  return {
    brokers: env.KAFKA_BROKERS,
    clientId: `${env.KAFKA_CLIENT_ID}-${service}`,
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    outboxSchema,
    outboxInThread: env.OUTBOX_RELAY_THREAD ?? false,
    outboxTiming: {
      ...DEFAULT_TIMING,
      lingerMs: env.OUTBOX_LINGER_MS,
      idleMs: env.OUTBOX_IDLE_POLL_MS,
    },
  };
}

@Injectable()
class KafkaLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Kafka');
  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(OUTBOX_RELAY) private readonly relay: Relay | null,
    @Optional() @Inject(HealthService) private readonly health?: HealthService,
  ) {}

  onApplicationBootstrap(): void {
    this.health?.register('kafka', async () => {
      if (this.relay?.lastError) throw new Error(`outbox relay: ${this.relay.lastError}`);
      return this.relay
        ? { outboxPublished: this.relay.published, outboxListening: this.relay.listening }
        : undefined;
    });
    this.relay?.start();
    if (this.relay) this.logger.log('outbox relay started');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    await this.producer.disconnect();
  }
}

/** The relay in a thread, with the service's database URL. */
function threaded(opts: KafkaModuleOptions, ds: DataSource): Relay {
  const db = ds.options as { url?: string; applicationName?: string };
  return new ThreadedOutboxRelay({
    url: db.url!,
    applicationName: `${db.applicationName ?? opts.clientId}:relay`,
    schema: opts.outboxSchema!,
    settings: { brokers: opts.brokers, clientId: opts.clientId, topicPrefix: opts.topicPrefix },
    timing: opts.outboxTiming,
  });
}

@Global()
@Module({})
export class KafkaModule {
  static forRoot(opts: KafkaModuleOptions): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        { provide: KAFKA_SETTINGS, useValue: opts },
        { provide: KAFKA, useFactory: () => createKafka(opts, new Logger('kafkajs')) },
        {
          provide: KAFKA_PRODUCER,
          inject: [KAFKA],
          useFactory: async (kafka: Kafka) => {
            const producer = createProducer(kafka);
            await producer.connect();
            return producer;
          },
        },
        {
          provide: OUTBOX_RELAY,
          inject: [KAFKA_PRODUCER, { token: DataSource, optional: true }],
          useFactory: (producer: Producer, ds?: DataSource): Relay | null => {
            if (!opts.outboxSchema || !ds) return null;
            if (opts.outboxInThread && relayThreadAvailable()) return threaded(opts, ds);
            // The relay's own default batch size; its timing from the options if given.
            return new OutboxRelay(
              ds,
              opts.outboxSchema,
              producer,
              opts,
              new Logger(OutboxRelay.name),
              undefined,
              opts.outboxTiming,
            );
          },
        },
        KafkaLifecycle,
      ],
      exports: [KAFKA_SETTINGS, KAFKA, KAFKA_PRODUCER, OUTBOX_RELAY],
    };
  }
}
