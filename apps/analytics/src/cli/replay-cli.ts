import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadEnvOrExit } from '@app/config';
import { Topics } from '@app/contracts';
import { createDataSource } from '@app/database';
import { createKafka, topicName } from '@app/kafka';
import { analyticsEnv } from '../config';
import { analyticsEntities, analyticsMigrations, SCHEMA } from '../database/schema';

const USAGE = `usage: replay-cli (--from-beginning | --since <ISO date-time>)

Moves the analytics consumer group's stored offsets (analytics.consumer_offsets, the source of
truth the consumer seeks to on assignment) back to the start of every partition of the four
topics, or to the first offset at or after --since. Stop every analytics replica first, run
this, start them again: everything from that point is consumed again, and counted once,
because raw events are deduplicated by eventId (within ANALYTICS_RAW_RETENTION_DAYS).`;

async function main(): Promise<void> {
  const env = loadEnvOrExit(analyticsEnv, 'analytics-replay');
  const [flag, value] = process.argv.slice(2);
  const since = flag === '--since' ? Date.parse(value ?? '') : NaN;
  if (flag !== '--from-beginning' && !(flag === '--since' && Number.isFinite(since))) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(64);
  }
  const groupId = `${env.KAFKA_CLIENT_ID}-analytics`;
  const settings = {
    brokers: env.KAFKA_BROKERS,
    clientId: `${groupId}-replay`,
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
  };
  const admin = createKafka(settings, new Logger('kafkajs')).admin();
  const ds = createDataSource({
    url: env.DATABASE_URL,
    schema: SCHEMA,
    entities: analyticsEntities,
    migrations: analyticsMigrations,
  });
  await Promise.all([admin.connect(), ds.initialize()]);
  try {
    const rows: [string, number, string][] = [];
    for (const base of Object.values(Topics)) {
      const topic = topicName(settings, base);
      const offsets = Number.isFinite(since)
        ? await admin.fetchTopicOffsetsByTimestamp(topic, since)
        : (await admin.fetchTopicOffsets(topic)).map((o) => ({
            partition: o.partition,
            offset: o.low,
          }));
      for (const o of offsets) rows.push([topic, o.partition, o.offset]);
    }
    await ds.transaction(async (m) => {
      for (const [topic, partition, offset] of rows) {
        await m.query(
          `INSERT INTO analytics.consumer_offsets (group_id, topic, partition, next_offset)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset, updated_at = now()`,
          [groupId, topic, partition, offset],
        );
      }
    });
    process.stdout.write(`${JSON.stringify({ groupId, partitions: rows.length, reset: rows })}\n`);
  } finally {
    await Promise.allSettled([admin.disconnect(), ds.destroy()]);
  }
}

main().catch((err) => {
  process.stderr.write(`[analytics-replay] ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
