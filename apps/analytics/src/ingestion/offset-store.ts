import { EntityManager } from 'typeorm';

/**
 * Consumed offsets per (group, topic, partition), written in the ingestion transaction: the
 * rollups and the position they reflect commit together, so Postgres, not Kafka's committed
 * offsets, says where each partition resumes. GREATEST keeps a late commit from a replica that
 * just lost the partition from moving it back.
 */
export class OffsetStore {
  constructor(private readonly groupId: string) {}

  async load(m: EntityManager, topics: string[]): Promise<Map<string, bigint>> {
    const rows: { topic: string; partition: number; next_offset: string }[] = await m.query(
      'SELECT topic, partition, next_offset FROM analytics.consumer_offsets WHERE group_id = $1 AND topic = ANY($2)',
      [this.groupId, topics],
    );
    return new Map(rows.map((r) => [key(r.topic, r.partition), BigInt(r.next_offset)]));
  }

  async save(m: EntityManager, topic: string, partition: number, next: bigint): Promise<void> {
    await m.query(
      `INSERT INTO analytics.consumer_offsets AS o (group_id, topic, partition, next_offset)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (group_id, topic, partition)
       DO UPDATE SET next_offset = GREATEST(o.next_offset, excluded.next_offset), updated_at = now()`,
      [this.groupId, topic, partition, next.toString()],
    );
  }
}

export const key = (topic: string, partition: number) => `${topic}:${partition}`;
