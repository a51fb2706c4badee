import { outboxTableSql } from '@app/database';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ExecutorInitial1732690300000 implements MigrationInterface {
  name = 'ExecutorInitial1732690300000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxTableSql('executor')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS executor.outbox');
  }
}
