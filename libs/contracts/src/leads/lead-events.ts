/** Event types on `lead.events` (key: lead id). Payloads are documented in docs/events.md. */
export const LeadEventTypes = {
  captured: 'lead.captured',
  updated: 'lead.updated',
  statusChanged: 'lead.status_changed',
  imported: 'lead.imported',
  suppressed: 'lead.suppressed',
  unsuppressed: 'lead.unsuppressed',
  erased: 'lead.erased',
} as const;
