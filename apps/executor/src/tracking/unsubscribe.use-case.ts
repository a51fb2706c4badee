import { EngagementEventTypes } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DeliveryRow, EngagementRepository } from './engagement.repository';
import { LeadsSuppressionNotifier } from './leads-suppression.notifier';

/**
 * Unsubscribe (page or RFC 8058 one-click): suppress the address in the workspace, end its
 * active sequences, emit engagement.unsubscribed (once per delivery: a recipient who uses the
 * one-click button and then the page counts once), and tell the leads service (owner of
 * suppression).
 */
@Injectable()
export class UnsubscribeUseCase {
  constructor(
    private readonly engagement: EngagementRepository,
    private readonly leads: LeadsSuppressionNotifier,
  ) {}

  async execute(d: DeliveryRow): Promise<void> {
    await this.engagement.record(
      d,
      EngagementEventTypes.unsubscribed,
      { once: 'unsubscribed_at' },
      {},
      (m) => this.engagement.suppress(m, d, 'unsubscribed'),
    );
    await this.leads.notify(
      { tenantId: d.tenant_id, workspaceId: d.workspace_id },
      d.recipient,
      'unsubscribed',
    );
  }
}
