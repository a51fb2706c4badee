import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent becomes three-valued: true (given), false (refused), NULL (no information). Until
 * now "no information" was stored as true, indistinguishable from a recorded yes; rows that
 * never had consent recorded (consent_at NULL) become NULL. What NULL means for sending is the
 * workspace's consent mode (consent_policies; default LEADS_CONSENT_DEFAULT).
 */
export class ConsentPolicy1732690100004 implements MigrationInterface {
  name = 'ConsentPolicy1732690100004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE leads.leads ALTER COLUMN consent_email DROP NOT NULL, ALTER COLUMN consent_email DROP DEFAULT`,
    );
    await q.query(`UPDATE leads.leads SET consent_email = NULL WHERE consent_at IS NULL`);
    await q.query(
      `CREATE TABLE leads.consent_policies (
         workspace_id uuid PRIMARY KEY,
         tenant_id uuid NOT NULL,
         mode text NOT NULL CHECK (mode IN ('opt_in', 'implied')),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS leads.consent_policies`);
    await q.query(`UPDATE leads.leads SET consent_email = true WHERE consent_email IS NULL`);
    await q.query(
      `ALTER TABLE leads.leads ALTER COLUMN consent_email SET DEFAULT true, ALTER COLUMN consent_email SET NOT NULL`,
    );
  }
}
