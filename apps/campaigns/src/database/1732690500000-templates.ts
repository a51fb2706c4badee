import { MigrationInterface, QueryRunner } from 'typeorm';

export class Templates1732690500000 implements MigrationInterface {
  name = 'Templates1732690500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE campaigns.templates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL,
      workspace_id uuid NOT NULL,
      name text NOT NULL,
      channel text NOT NULL,
      description text,
      tags text[] NOT NULL DEFAULT '{}',
      current_version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX templates_ws ON campaigns.templates (workspace_id, tenant_id, updated_at DESC)`,
    );
    await q.query(`CREATE TABLE campaigns.template_versions (
      template_id uuid NOT NULL REFERENCES campaigns.templates(id) ON DELETE CASCADE,
      version int NOT NULL,
      subject text,
      body_html text,
      body_text text,
      text_generated boolean NOT NULL DEFAULT false,
      variables jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (template_id, version)
    )`);
    // Steps point at a template, optionally pinned to a version (pinned at launch).
    await q.query(`ALTER TABLE campaigns.steps ADD COLUMN template_version int`);
    await q.query(
      `UPDATE campaigns.steps SET template_id = NULL WHERE template_id !~ '^[0-9a-f-]{36}$'`,
    );
    await q.query(
      `ALTER TABLE campaigns.steps ALTER COLUMN template_id TYPE uuid USING template_id::uuid`,
    );
    await q.query(
      `CREATE INDEX steps_template ON campaigns.steps (template_id) WHERE template_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS campaigns.steps_template`);
    await q.query(`ALTER TABLE campaigns.steps ALTER COLUMN template_id TYPE text`);
    await q.query(`ALTER TABLE campaigns.steps DROP COLUMN template_version`);
    await q.query(`DROP TABLE campaigns.template_versions`);
    await q.query(`DROP TABLE campaigns.templates`);
  }
}
