import { LeadsApiRpc } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LEADS_CLIENT, ServiceClient } from '../core/service-client';

/**
 * Tells the leads service (the owner of suppression) about an unsubscribe, complaint or hard
 * bounce seen here. The executor's own suppression copy already blocks every send, so a
 * failure is logged for an operator rather than failing the request that caused it.
 */
@Injectable()
export class LeadsSuppressionNotifier {
  private readonly logger = new Logger('LeadsSuppression');

  constructor(@Inject(LEADS_CLIENT) private readonly leads: ServiceClient) {}

  async notify(
    scope: { tenantId: string; workspaceId: string },
    email: string,
    reason: 'unsubscribed' | 'bounced' | 'complained',
  ): Promise<void> {
    const ctx = { requestId: randomUUID(), ...scope };
    await this.leads
      .call(LeadsApiRpc.addSuppression, { email, reason }, ctx, 5000)
      .catch((err: Error) =>
        this.logger.warn({
          msg: 'leads service did not record the suppression',
          reason,
          error: err.message,
        }),
      );
  }
}
