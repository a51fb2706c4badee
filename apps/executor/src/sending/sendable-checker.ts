import { RequestContext } from '@app/common';
import { LeadsRpc, SendableResponse } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LEADS_CLIENT, ServiceClient } from '../core/service-client';

type Blocked = SendableResponse['blocked'][number]['reason'];

interface Waiter {
  email: string;
  resolve: (reason: Blocked | null) => void;
  reject: (err: Error) => void;
}

const BATCH_WINDOW_MS = 5;
const MAX_BATCH = 500;

/**
 * The send-time re-check with the leads service (suppression, consent, erasure). Concurrent
 * sends of one workspace are batched into one RPC per few milliseconds, so the check costs
 * little at thousands of messages per second. Any failure fails the send closed (retried).
 */
@Injectable()
export class SendableChecker {
  private readonly pending = new Map<string, { ctx: RequestContext; waiters: Waiter[] }>();

  constructor(@Inject(LEADS_CLIENT) private readonly leads: ServiceClient) {}

  check(tenantId: string, workspaceId: string, email: string): Promise<Blocked | null> {
    return new Promise((resolve, reject) => {
      let batch = this.pending.get(workspaceId);
      if (!batch) {
        batch = { ctx: { requestId: randomUUID(), tenantId, workspaceId }, waiters: [] };
        this.pending.set(workspaceId, batch);
        setTimeout(() => this.flush(workspaceId), BATCH_WINDOW_MS);
      }
      batch.waiters.push({ email, resolve, reject });
      if (batch.waiters.length >= MAX_BATCH) this.flush(workspaceId);
    });
  }

  private flush(workspaceId: string): void {
    const batch = this.pending.get(workspaceId);
    if (!batch) return;
    this.pending.delete(workspaceId);
    const emails = [...new Set(batch.waiters.map((w) => w.email))];
    this.leads
      .call<SendableResponse>(LeadsRpc.checkSendable, { emails }, batch.ctx, 10000)
      .then((res) => {
        const blocked = new Map(res.blocked.map((b) => [b.email.toLowerCase(), b.reason]));
        for (const w of batch.waiters) w.resolve(blocked.get(w.email) ?? null);
      })
      .catch((err: Error) => {
        const error = new Error(`sendable check failed: ${err.message ?? String(err)}`);
        for (const w of batch.waiters) w.reject(error);
      });
  }
}
