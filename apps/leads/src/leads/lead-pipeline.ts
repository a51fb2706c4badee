import { ConflictError } from '@app/common';
import { LeadStatus } from '@app/contracts';

/**
 * The sales pipeline: one table, every status change goes through `assertMove`.
 * `won` is final; `lost` and `unqualified` can be reopened (back to contacted).
 */
export const PIPELINE: Record<LeadStatus, readonly LeadStatus[]> = {
  new: ['contacted', 'nurturing', 'qualified', 'unqualified', 'lost'],
  contacted: ['nurturing', 'qualified', 'unqualified', 'lost'],
  nurturing: ['contacted', 'qualified', 'unqualified', 'lost'],
  qualified: ['proposal', 'nurturing', 'lost'],
  unqualified: ['contacted', 'nurturing'],
  proposal: ['negotiation', 'won', 'lost', 'qualified'],
  negotiation: ['proposal', 'won', 'lost'],
  won: [],
  lost: ['contacted', 'nurturing'],
};

export function assertMove(from: LeadStatus, to: LeadStatus): void {
  if (from === to) return;
  const allowed = PIPELINE[from];
  if (allowed.includes(to)) return;
  throw new ConflictError(
    'INVALID_STATUS_TRANSITION',
    `Cannot move a lead from ${from} to ${to}` +
      (allowed.length
        ? ` (from ${from} it can go to: ${allowed.join(', ')})`
        : ` (${from} is final)`),
    [{ field: 'status', message: `current status is ${from}`, currentStatus: from, allowed }],
  );
}
