/**
 * Where each campaign's next lease starts reading its due enrollments.
 *
 * A lease moves each row it takes to the end of the campaign's range of `enrollments_due`
 * (`next_run_at` = the lease's end), and the row settled afterwards leaves the index for good
 * (completed) or comes back later; the entries at the old position are dead but stay in the
 * index until vacuum, and can only be skipped once no transaction that could see them is left.
 * A lease that reads from the start of the range walks over all of them again: with 100,000
 * enrollments that was the largest statement of a send (3.4 s of 10 in Postgres,
 * pg_stat_statements), growing with every page already leased.
 *
 * So a lease that was served in full remembers the latest due time it took, and the next one
 * reads from there (`next_run_at >= from`: rows of the same instant left over by the limit are
 * still found). A row can still become due behind that point: one skipped while another
 * transaction held it, one released after Redis lost its job, a lease that ran out, a step
 * rescheduled by a transaction older than the cursor. So the cursor is dropped whenever a lease
 * comes back short (the end of what is due: the next one reads the whole range once), and at
 * the latest `rescanMs` after it was first set.
 */
export class DueCursors {
  private readonly cursors = new Map<string, { from: Date; since: number }>();

  constructor(
    private readonly rescanMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The due time the next lease of this campaign starts from; null: from the start. */
  from(campaignId: string): Date | null {
    const c = this.cursors.get(campaignId);
    if (c && this.clock() - c.since >= this.rescanMs) {
      this.cursors.delete(campaignId);
      return null;
    }
    return c?.from ?? null;
  }

  /** What a lease that asked for `asked` rows took: their due times before the lease. */
  leased(campaignId: string, asked: number, dues: Date[]): void {
    if (dues.length < asked) {
      this.cursors.delete(campaignId);
      return;
    }
    let latest = dues[0];
    for (const due of dues) if (due > latest) latest = due;
    const since = this.cursors.get(campaignId)?.since ?? this.clock();
    this.cursors.set(campaignId, { from: latest, since });
  }
}
