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

  /** One event, or a JSON array of events; null when `lines` holds them. */
  @Column({ type: 'jsonb', nullable: true })
  payload: Record<string, unknown> | null;

  /** Events packed as text, one JSON document per line (outboxLinesSql). */
  @Column({ type: 'text', nullable: true })
  lines: string | null;

  @Column({ name: 'line_count', type: 'int', nullable: true })
  lineCount: number | null;

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
 * A second way to pack a row: `lines`, events as text, one JSON document per line (JSON text
 * never holds a raw newline), with their count. A writer that packs many events per row (the
 * executor's send statements: two events per message) hands Postgres text to split and join
 * instead of JSON to parse into jsonb, aggregate, and print back for the relay: ~5 % of the
 * machine's CPU while sending (docs/executor.md, "Eighth pass"). The relay splits the lines.
 */
export const outboxLinesSql = (schema: string): string[] => [
  `ALTER TABLE "${schema}".outbox
     ALTER COLUMN payload DROP NOT NULL,
     ADD COLUMN lines text,
     ADD COLUMN line_count int,
     ADD CONSTRAINT outbox_one_form CHECK (
       (payload IS NULL) <> (lines IS NULL) AND (lines IS NULL) = (line_count IS NULL))`,
];

/** Whether the server was built with lz4, so a column may be compressed with it. */
export async function lz4Available(q: QueryRunner): Promise<boolean> {
  const [{ lz4 }] = await q.query(
    `SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
  );
  return lz4 === true;
}

/** The migration that adds `lines` to a service's outbox (name ends with its timestamp). */
export function outboxLinesMigration(schema: string, name: string): new () => MigrationInterface {
  return class OutboxLines implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      for (const sql of outboxLinesSql(schema)) await q.query(sql);
      // Written once, read once and deleted within a second: lz4 where the server has it.
      if (await lz4Available(q))
        await q.query(`ALTER TABLE "${schema}".outbox ALTER COLUMN lines SET COMPRESSION lz4`);
    }

    async down(q: QueryRunner): Promise<void> {
      // Rows not yet published keep their events, as the jsonb array the older relay reads.
      await q.query(
        `UPDATE "${schema}".outbox
            SET payload = (SELECT jsonb_agg(line::jsonb ORDER BY n)
                             FROM string_to_table(lines, E'\\n') WITH ORDINALITY AS l(line, n)),
                lines = NULL, line_count = NULL
          WHERE lines IS NOT NULL`,
      );
      await q.query(
        `ALTER TABLE "${schema}".outbox DROP CONSTRAINT outbox_one_form, DROP COLUMN lines,
           DROP COLUMN line_count, ALTER COLUMN payload SET NOT NULL`,
      );
    }
  };
}

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
