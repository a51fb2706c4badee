import { Injectable } from '@nestjs/common';
import { CampaignRun } from './run-snapshot';
import { RunRepository } from './run.repository';

const STATUS_TTL_MS = 200;
const FORGET_AFTER_MS = 30000;

/**
 * What the send worker reads right before each claim. Snapshots never change after launch, so
 * they are cached for good; statuses are re-read from Postgres at most every 200 ms per
 * campaign, which bounds how long a pause takes to reach every replica's workers.
 */
@Injectable()
export class RunStatusCache {
  private readonly runs = new Map<string, CampaignRun>();
  private readonly statuses = new Map<string, { status: string; at: number }>();
  private readonly askedAt = new Map<string, number>();
  private pending: Promise<void> | null = null;

  constructor(private readonly repo: RunRepository) {}

  /** The snapshot if it is cached, without a promise: the send path asks for it once per message. */
  cachedRun(campaignId: string): CampaignRun | undefined {
    return this.runs.get(campaignId);
  }

  /** The status if the cached one is fresh (STATUS_TTL_MS), without a promise. */
  freshStatus(campaignId: string): string | undefined {
    const hit = this.statuses.get(campaignId);
    if (!hit) return undefined;
    const now = Date.now();
    if (now - hit.at >= STATUS_TTL_MS) return undefined;
    this.askedAt.set(campaignId, now);
    return hit.status;
  }

  async run(campaignId: string): Promise<CampaignRun | null> {
    const cached = this.runs.get(campaignId);
    if (cached) return cached;
    const run = await this.repo.find(campaignId);
    if (run) this.runs.set(campaignId, run);
    return run;
  }

  async status(campaignId: string): Promise<string | null> {
    this.askedAt.set(campaignId, Date.now());
    for (let attempt = 0; attempt < 2; attempt++) {
      const fresh = this.freshStatus(campaignId);
      if (fresh !== undefined) return fresh;
      // One query refreshes every campaign this process is sending for, however many jobs ask.
      this.pending ??= this.refresh().finally(() => (this.pending = null));
      await this.pending;
    }
    return this.statuses.get(campaignId)?.status ?? null;
  }

  /** Called when this process learns of a change itself, so its own workers see it at once. */
  set(campaignId: string, status: string): void {
    this.statuses.set(campaignId, { status, at: Date.now() });
  }

  private async refresh(): Promise<void> {
    const now = Date.now();
    for (const [id, at] of this.askedAt) if (now - at > FORGET_AFTER_MS) this.askedAt.delete(id);
    const ids = [...this.askedAt.keys()];
    const found = await this.repo.statuses(ids);
    const at = Date.now();
    for (const id of ids) {
      const status = found.get(id);
      if (status) this.statuses.set(id, { status, at });
      else this.statuses.delete(id);
    }
  }
}
