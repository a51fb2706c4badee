#!/usr/bin/env node
'use strict';
/**
 * The analytics bench's baseline (issue 6): a bare kafkajs consumer that only counts the
 * messages of the bench topics, with the fetch settings the analytics consumer uses, in its own
 * process as the analytics service is. It prints one JSON line: messages and events/s from its
 * first batch to its last.
 * Usage: node bench/analytics/raw-consumer.js <topicPrefix> <expectedMessages> [concurrency]
 */
const { Kafka, logLevel } = require('kafkajs');

const TOPICS = ['campaign.events', 'lead.events', 'message.events', 'engagement.events'];

async function main() {
  const [prefix, expectedArg, concurrencyArg] = process.argv.slice(2);
  const expected = Number(expectedArg);
  if (!prefix || !(expected > 0)) throw new Error('usage: raw-consumer.js <prefix> <expected>');
  const kafka = new Kafka({
    clientId: 'bench-raw',
    brokers: [process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'],
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId: `bench-raw-${prefix}-${Date.now()}`,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxBytes: 32 * 1024 * 1024,
    sessionTimeout: 10000,
    heartbeatInterval: 1000,
  });
  let count = 0;
  let first = 0;
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));
  await consumer.connect();
  await consumer.subscribe({ topics: TOPICS.map((t) => prefix + t), fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: Number(concurrencyArg ?? 6),
    eachBatch: async ({ batch }) => {
      if (!first) first = performance.now();
      count += batch.messages.length;
      if (count >= expected) resolveDone(performance.now());
    },
  });
  const end = await done;
  const seconds = (end - first) / 1000;
  await consumer.disconnect();
  process.stdout.write(
    JSON.stringify({ messages: count, seconds, eventsPerSecond: Math.round(count / seconds) }) +
      '\n',
  );
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
