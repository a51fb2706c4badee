import { EntityManager } from 'typeorm';

/**
 * Reads the consumed offsets per (group, topic, partition) that the ingestion statement writes
 * with the rows (ingest-batch.sql.ts): Postgres, not Kafka's committed offsets, says where each
 * partition resumes. GREATEST there keeps a late commit from a replica that just lost the
 * partition from moving it back.
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
}

export const key = (topic: string, partition: number) => `${topic}:${partition}`;
