import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@app/contracts';

/**
 * Appends events to the service's outbox inside the caller's transaction, so the event
 * exists if and only if the state change it describes was committed.
 */
export async function appendToOutbox(
  manager: EntityManager,
  schema: string,
  topic: string,
  events: EventEnvelope[],
): Promise<void> {
  if (!events.length) return;
  const values: unknown[] = [];
  const rows = events.map((event, i) => {
    values.push(
      topic,
      event.campaignId ?? event.leadId ?? event.workspaceId,
      JSON.stringify(event),
    );
    return `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3}::jsonb)`;
  });
  await manager.query(
    `INSERT INTO "${schema}".outbox (topic, message_key, payload) VALUES ${rows.join(', ')}`,
    values,
  );
}

/**
 * Appends events already written as JSON text (one envelope each, with no raw newline), all
 * under one message key, as a single `lines` row: the relay publishes one Kafka message per
 * line, in order (outboxLinesSql).
 */
export async function appendLinesToOutbox(
  manager: EntityManager,
  schema: string,
  topic: string,
  key: string,
  events: string[],
): Promise<void> {
  if (!events.length) return;
  await manager.query(
    `INSERT INTO "${schema}".outbox (topic, message_key, lines, line_count) VALUES ($1, $2, $3, $4)`,
    [topic, key, events.join('\n'), events.length],
  );
}
