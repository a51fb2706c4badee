import { Scope } from '@app/common';
import { LeadEventTypes } from '@app/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LeadEvents } from './lead-events';
import { LeadsService } from './leads.service';

/**
 * Right to erasure: the lead row (with its history and segment memberships, by cascade) and
 * every import issue row that quoted the address are deleted; what remains is a suppression
 * entry holding only the salted hash, so the address can never be mailed again.
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger('Erasure');

  constructor(
    private readonly ds: DataSource,
    private readonly leads: LeadsService,
    private readonly events: LeadEvents,
  ) {}

  async erase(
    scope: Scope,
    id: string,
    campaignId?: string,
  ): Promise<{ id: string; message: string }> {
    await this.ds.transaction(async (m) => {
      const row = await this.leads.find(scope, id, campaignId, m, true);
      await m.query(`DELETE FROM leads.leads WHERE id = $1`, [id]);
      await m.query(
        `DELETE FROM leads.import_issues i USING leads.import_jobs j
          WHERE i.job_id = j.id AND j.workspace_id = $1 AND i.email_hash = $2`,
        [scope.workspaceId, row.email_hash],
      );
      await m.query(
        `INSERT INTO leads.suppressions (tenant_id, workspace_id, email_hash, email, reason, note)
         VALUES ($1, $2, $3, NULL, 'erased', NULL)
         ON CONFLICT (workspace_id, email_hash) DO UPDATE SET email = NULL, reason = 'erased', note = NULL`,
        [scope.tenantId, scope.workspaceId, row.email_hash],
      );
      await this.events.emit(m, scope, LeadEventTypes.erased, id, {
        leadId: id,
        emailHash: row.email_hash,
      });
    });
    this.events.flush();
    // Logged by id only: the point is that the address is gone.
    this.logger.log({ msg: 'lead erased', leadId: id, workspaceId: scope.workspaceId });
    return { id, message: 'Lead erased; the address stays suppressed by its hash' };
  }
}
