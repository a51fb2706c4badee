import { outboxTableSql } from '@app/database';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class LeadsInitial1732690100000 implements MigrationInterface {
  name = 'LeadsInitial1732690100000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxTableSql('leads')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS leads.outbox');
  }
}
