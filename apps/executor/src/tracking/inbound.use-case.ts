import { Scope } from '@app/common';
import { EngagementEventTypes, InboundEvent } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { EngagementRepository } from './engagement.repository';
import { LeadsSuppressionNotifier } from './leads-suppression.notifier';

export interface InboundResult {
  deliveryId: string | null;
  type: string;
  applied: boolean;
  reason?: string;
}

/**
 * One inbound provider event (docs/executor.md, "Inbound events"). A delivery receipt marks a
 * sent delivery delivered; a bounce fails it and suppresses (each once: a repeated report
 * changes nothing and says why); a complaint suppresses (its event once per delivery); a reply
 * marks the delivery and, with stopOnReply, ends that contact's sequence. The delivery must
 * belong to the caller's workspace.
 */
@Injectable()
export class InboundUseCase {
  constructor(
    private readonly engagement: EngagementRepository,
    private readonly leads: LeadsSuppressionNotifier,
  ) {}

  async execute(scope: Scope, event: InboundEvent): Promise<InboundResult> {
    const d = event.deliveryId ? await this.engagement.delivery(event.deliveryId, scope) : null;
    const refused = (reason: string): InboundResult => ({
      deliveryId: d?.id ?? event.deliveryId ?? null,
      type: String(event.type),
      applied: false,
      reason,
    });
    if (!d) return refused('unknown delivery');
    let reason: string | null = null;
    switch (event.type) {
      case 'delivered':
        reason = await this.engagement.delivered(d);
        break;
      case 'bounce':
        reason = await this.engagement.bounce(d, event);
        if (!reason && event.permanent !== false)
          await this.leads.notify(scope, d.recipient, 'bounced');
        break;
      case 'reply':
        await this.engagement.record(
          d,
          EngagementEventTypes.replied,
          { column: 'replied_at' },
          {},
          async (m) => {
            if (d.stop_on_reply) await this.engagement.stop(m, d, 'replied');
          },
        );
        break;
      case 'complaint':
        await this.engagement.record(
          d,
          EngagementEventTypes.complained,
          { once: 'complained_at' },
          {},
          (m) => this.engagement.suppress(m, d, 'complained'),
        );
        await this.leads.notify(scope, d.recipient, 'complained');
        break;
      default:
        return refused('unknown type');
    }
    return reason ? refused(reason) : { deliveryId: d.id, type: event.type, applied: true };
  }
}
