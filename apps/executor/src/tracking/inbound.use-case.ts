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
 * sent delivery delivered (once); a bounce fails and suppresses; a complaint suppresses; a
 * reply marks the delivery and, with stopOnReply, ends that contact's sequence. The delivery
 * must belong to the caller's workspace.
 */
@Injectable()
export class InboundUseCase {
  constructor(
    private readonly engagement: EngagementRepository,
    private readonly leads: LeadsSuppressionNotifier,
  ) {}

  async execute(scope: Scope, event: InboundEvent): Promise<InboundResult> {
    const d = event.deliveryId ? await this.engagement.delivery(event.deliveryId, scope) : null;
    if (!d)
      return {
        deliveryId: event.deliveryId ?? null,
        type: event.type,
        applied: false,
        reason: 'unknown delivery',
      };
    switch (event.type) {
      case 'delivered': {
        const refused = await this.engagement.delivered(d);
        if (refused) return { deliveryId: d.id, type: event.type, applied: false, reason: refused };
        break;
      }
      case 'reply':
        await this.engagement.record(
          d,
          EngagementEventTypes.replied,
          'replied_at',
          {},
          async (m) => {
            if (d.stop_on_reply) await this.engagement.stop(m, d, 'replied');
          },
        );
        break;
      case 'complaint':
        await this.engagement.record(d, EngagementEventTypes.complained, null, {}, (m) =>
          this.engagement.suppress(m, d, 'complained'),
        );
        await this.leads.notify(scope, d.recipient, 'complained');
        break;
      case 'bounce':
        await this.engagement.bounce(d, event);
        if (event.permanent !== false) await this.leads.notify(scope, d.recipient, 'bounced');
        break;
      default:
        return {
          deliveryId: d.id,
          type: String(event.type),
          applied: false,
          reason: 'unknown type',
        };
    }
    return { deliveryId: d.id, type: event.type, applied: true };
  }
}
