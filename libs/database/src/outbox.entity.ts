import {
  Column,
  CreateDateColumn,
  Entity,
  MigrationInterface,
  PrimaryGeneratedColumn,
  QueryRunner,
} from 'typeorm';
import { outboxChannel } from './outbox-channel';

/**
 * Transactional outbox row: written in the same transaction as the state change it
 * describes, published to Kafka by the relay (libs/kafka), then deleted.
 * Every service keeps this table in its own schema.
 */
@Entity({ name: 'outbox' })
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ name: 'message_key', type: 'text' })
  messageKey: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** SQL the services' migrations share to create their outbox table. */
export const outboxTableSql = (schema: string): string[] => [
  `CREATE TABLE "${schema}".outbox (
     id bigserial PRIMARY KEY,
     topic text NOT NULL,
     message_key text NOT NULL,
     payload jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
];

export { outboxChannel };

/**
 * A statement-level trigger that wakes the schema's relay when rows are added: NOTIFY is
 * delivered at commit (never for a rolled-back insert) and repeated notifications of one
 * transaction collapse into one, so it costs one call per inserting statement, not per row.
 */
export const outboxNotifySql = (schema: string): string[] => [
  `CREATE FUNCTION "${schema}".outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     PERFORM pg_notify('${outboxChannel(schema)}', '');
     RETURN NULL;
   END $fn$`,
  `CREATE TRIGGER outbox_notify AFTER INSERT ON "${schema}".outbox
     FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".outbox_notify()`,
];

export const dropOutboxNotifySql = (schema: string): string[] => [
  `DROP TRIGGER IF EXISTS outbox_notify ON "${schema}".outbox`,
  `DROP FUNCTION IF EXISTS "${schema}".outbox_notify()`,
];

/**
 * The migration that adds the notify trigger to a service's outbox; `name` ends with its
 * timestamp, as TypeORM expects (e.g. `LeadsOutboxNotify1732690100007`).
 */
export function outboxNotifyMigration(schema: string, name: string): new () => MigrationInterface {
  return class OutboxNotify implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      for (const sql of outboxNotifySql(schema)) await q.query(sql);
    }

    async down(q: QueryRunner): Promise<void> {
      for (const sql of dropOutboxNotifySql(schema)) await q.query(sql);
    }
  };
}
