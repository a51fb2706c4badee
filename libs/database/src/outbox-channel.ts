/**
 * The LISTEN/NOTIFY channel on which a schema's outbox announces new rows to its relay. A
 * module of its own, free of TypeORM, so the relay's worker thread can name it without loading
 * the ORM (libs/kafka outbox-relay.worker.ts).
 */
export const outboxChannel = (schema: string): string => `outbox_${schema}`;
