import { currentContext, Scope } from '@app/common';
import { buildEvent, EventEnvelope, Topics } from '@app/contracts';
import { appendToOutbox, OUTBOX_RELAY, Relay } from '@app/kafka';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SCHEMA } from '../database/schema';

/**
 * Writes lead events to the outbox in the caller's transaction. The envelope carries
 * leadId and never campaignId, so the outbox keys them by lead id (per-lead ordering).
 */
@Injectable()
export class LeadEvents {
  constructor(@Optional() @Inject(OUTBOX_RELAY) private readonly relay: Relay | null) {}

  build(scope: Scope, type: string, leadId: string | undefined, data: object): EventEnvelope {
    return buildEvent({
      type,
      tenantId: scope.tenantId,
      workspaceId: scope.workspaceId,
      leadId,
      requestId: currentContext()?.requestId,
      data: data as Record<string, unknown>,
    });
  }

  async emit(
    manager: EntityManager,
    scope: Scope,
    type: string,
    leadId: string | undefined,
    data: object,
  ): Promise<void> {
    await appendToOutbox(manager, SCHEMA, Topics.lead, [this.build(scope, type, leadId, data)]);
  }

  async emitMany(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    for (let i = 0; i < events.length; i += 1000)
      await appendToOutbox(manager, SCHEMA, Topics.lead, events.slice(i, i + 1000));
  }

  /** After commit: publish now rather than at the relay's next poll. */
  flush(): void {
    this.relay?.poke();
  }
}
