import { Kafka, logLevel, LogEntry, Producer } from 'kafkajs';
import { LogSink } from './log-sink';
import { keyHashPartitioner } from './partitioner';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
}

export const KAFKA_SETTINGS = Symbol('KAFKA_SETTINGS');

/** kafkajs logs through `logger` (a Nest Logger named `kafkajs` in a service), warnings and above only. */
export function createKafka(settings: KafkaSettings, logger: LogSink): Kafka {
  const logCreator =
    () =>
    ({ level, log }: LogEntry) => {
      const { message, ...rest } = log;
      if (level <= logLevel.ERROR) logger.error({ msg: message, ...rest });
      else if (level === logLevel.WARN) logger.warn({ msg: message, ...rest });
    };
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator,
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    // Same partitions as kafkajs' DefaultPartitioner (and the Java client), cheaper hash.
    createPartitioner: keyHashPartitioner,
    allowAutoTopicCreation: false,
  });
}

export function topicName(settings: Pick<KafkaSettings, 'topicPrefix'>, base: string): string {
  return `${settings.topicPrefix}${base}`;
}
