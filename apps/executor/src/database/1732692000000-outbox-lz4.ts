import { lz4Available } from '@app/database';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The executor's outbox rows are written once, read once by the relay and deleted within a
 * second, and each holds the events of a whole send batch (~100 KB of JSON). Compressing them
 * with pglz was the largest single item of Postgres' CPU while sending (~9 %); lz4 compresses
 * them several times faster. (Storing them uncompressed was tried: the extra bytes written
 * cost as much as the compression saved.) A server built without lz4 keeps pglz.
 */
export class ExecutorOutboxLz41732692000000 implements MigrationInterface {
  name = 'ExecutorOutboxLz41732692000000';

  async up(q: QueryRunner): Promise<void> {
    if (await lz4Available(q))
      await q.query(`ALTER TABLE executor.outbox ALTER COLUMN payload SET COMPRESSION lz4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE executor.outbox ALTER COLUMN payload SET COMPRESSION pglz`);
  }
}
