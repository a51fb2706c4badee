import { outboxTableSql } from '@app/database';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class AnalyticsInitial1732690200000 implements MigrationInterface {
  name = 'AnalyticsInitial1732690200000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxTableSql('analytics')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS analytics.outbox');
  }
}
