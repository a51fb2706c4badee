import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

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
