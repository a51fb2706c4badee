import { Scope } from '@app/common';
import { ConsentMode, ConsentPolicyView, SetConsentPolicyDto } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEADS_ENV, LeadsEnv } from '../leads-env';

/**
 * The workspace's consent mode: whether a lead without consent information (consent_email
 * NULL) may be mailed. Read by the audience and send-time checks; `consentedSql` is the one
 * definition of "consented" in SQL.
 */
@Injectable()
export class ConsentPolicyService {
  constructor(
    private readonly ds: DataSource,
    @Inject(LEADS_ENV) private readonly env: LeadsEnv,
  ) {}

  async get(scope: Scope): Promise<ConsentPolicyView> {
    const [row]: { mode: ConsentMode; updated_at: Date }[] = await this.ds.query(
      `SELECT mode, updated_at FROM leads.consent_policies WHERE tenant_id = $1 AND workspace_id = $2`,
      [scope.tenantId, scope.workspaceId],
    );
    return row
      ? { mode: row.mode, source: 'workspace', updatedAt: row.updated_at.toISOString() }
      : { mode: this.env.LEADS_CONSENT_DEFAULT, source: 'default', updatedAt: null };
  }

  async set(scope: Scope, dto: SetConsentPolicyDto): Promise<ConsentPolicyView> {
    await this.ds.query(
      `INSERT INTO leads.consent_policies (workspace_id, tenant_id, mode) VALUES ($2, $1, $3)
       ON CONFLICT (workspace_id) DO UPDATE SET mode = EXCLUDED.mode, updated_at = now()
       WHERE consent_policies.tenant_id = EXCLUDED.tenant_id`,
      [scope.tenantId, scope.workspaceId, dto.mode],
    );
    return this.get(scope);
  }

  /** Whether leads with no consent information count as consented in this workspace. */
  async impliedConsent(scope: Scope): Promise<boolean> {
    return (await this.get(scope)).mode === 'implied';
  }
}

/**
 * "May be mailed as far as consent goes", for lead alias `a`: an explicit yes, or no
 * information when the workspace's mode is `implied` (`implied` is a boolean bind parameter).
 */
export const consentedSql = (a: string, implied: string): string =>
  `COALESCE(${a}.consent_email, ${implied}::boolean)`;
