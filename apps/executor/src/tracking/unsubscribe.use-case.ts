import { EngagementEventTypes } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LEADS_CLIENT, ServiceClient } from '../core/service-client';
import { DeliveryRow, EngagementRepository } from './engagement.repository';

/** The leads service's pattern for adding a suppression (its gateway RPC). */
const LEADS_ADD_SUPPRESSION = 'leads.suppressions.add';

/**
 * Unsubscribe (page or RFC 8058 one-click): suppress the address in the workspace, end its
 * active sequences, emit engagement.unsubscribed, and tell the leads service (owner of
 * suppression). If the leads call fails, the event is still out and the local suppression
 * already blocks every send; the failure is logged for an operator.
 */
@Injectable()
export class UnsubscribeUseCase {
  private readonly logger = new Logger('Unsubscribe');

  constructor(
    private readonly engagement: EngagementRepository,
    @Inject(LEADS_CLIENT) private readonly leads: ServiceClient,
  ) {}

  async execute(d: DeliveryRow): Promise<void> {
    await this.engagement.record(d, EngagementEventTypes.unsubscribed, null, {}, (m) =>
      this.engagement.suppress(m, d, 'unsubscribed'),
    );
    const ctx = { requestId: randomUUID(), tenantId: d.tenant_id, workspaceId: d.workspace_id };
    await this.leads
      .call(LEADS_ADD_SUPPRESSION, { email: d.recipient, reason: 'unsubscribed' }, ctx, 5000)
      .catch((err: Error) =>
        this.logger.warn({
          msg: 'leads service did not record the unsubscribe',
          deliveryId: d.id,
          error: err.message,
        }),
      );
  }
}
