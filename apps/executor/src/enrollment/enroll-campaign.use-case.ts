import { RequestContext } from '@app/common';
import { AudiencePage, AudienceRequest, bareContact, LeadsRpc } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { LEADS_CLIENT, ServiceClient } from '../core/service-client';
import { Dispatcher } from '../dispatch/dispatcher';
import { CampaignRun } from '../runs/run-snapshot';
import { nextPosition } from '../sending/sequence';
import { EnrollTarget, enrollPage, StagedPage, stageCopyPage, stagePage } from './enrollment.sql';

/**
 * Enrolls a launched campaign's audience, page by page from the leads service (keyset
 * pagination). Each page and the cursor after it commit together, so an interrupted
 * enrollment (crash, redeploy) resumes from the last committed page without duplicates.
 * Test mode enrolls only settings.testRecipients.
 */
@Injectable()
export class EnrollCampaignUseCase {
  private readonly logger = new Logger('EnrollCampaign');

  constructor(
    private readonly ds: DataSource,
    @Inject(LEADS_CLIENT) private readonly leads: ServiceClient,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
    private readonly dispatcher: Dispatcher,
  ) {}

  async execute(run: CampaignRun, ctx: RequestContext): Promise<number> {
    const [state] = await this.ds.query(
      'SELECT enroll_cursor, enroll_done FROM executor.campaign_runs WHERE campaign_id = $1',
      [run.campaignId],
    );
    if (!state || state.enroll_done) return 0;
    const start = nextPosition(run.snapshot.steps, -1, new Date(), this.env.EXECUTOR_MINUTE_MS);
    const target = { ...run, stepIndex: start.stepIndex, runAt: start.runAt ?? new Date() };
    let total = 0;
    const started = Date.now();
    // Each page becomes COPY text as soon as it arrives: its contact objects are garbage before
    // it waits for a writer, which keeps the heap to about one page of objects.
    const next = (after: string | null) => {
      const promise = (
        run.testMode ? Promise.resolve(this.testPage(run)) : this.fetch(run, after, ctx)
      ).then((page) => ({
        staged: page.copy ? stageCopyPage(page.copy) : stagePage(page.contacts),
        nextAfterId: page.nextAfterId,
      }));
      promise.catch(() => undefined); // awaited below; this only keeps an early failure handled
      return promise;
    };
    // Pages are fetched one after the other (keyset), and written by up to ENROLL_WRITERS transactions
    // at once while the next page is fetched: RPC and SQL overlap, and two pages' inserts use
    // both cores. Each page's transaction adds its new rows to `enrolled` (atomic with them);
    // the cursor moves past a page only once it and every page before it have committed, so a
    // resumed enrollment replays at most the pages in flight, which insert nothing twice.
    const writing = new Set<Promise<void>>();
    let cursorSaved: Promise<unknown> = Promise.resolve();
    let failure: unknown = null;
    let after: string | null = state.enroll_cursor;
    let pending = next(after);
    for (;;) {
      const page = await pending;
      if (page.nextAfterId !== null) pending = next(page.nextAfterId);
      while (writing.size >= this.env.ENROLL_WRITERS) await Promise.race(writing);
      if (failure) throw failure;
      const written = this.writePage(run.campaignId, target, page.staged);
      const previous = cursorSaved;
      cursorSaved = Promise.all([written, previous]).then(() =>
        this.saveCursor(run.campaignId, page.nextAfterId),
      );
      cursorSaved.catch(() => undefined); // awaited at the end; a failed page throws first
      const tracked = written.then(
        (n) => {
          total += n;
          // Its steps are due: the dispatcher need not wait for its next interval.
          if (n) this.dispatcher.poke();
        },
        (err) => void (failure ??= err),
      );
      writing.add(tracked);
      void tracked.finally(() => writing.delete(tracked));
      after = page.nextAfterId;
      if (after === null) break;
    }
    await Promise.all(writing);
    if (failure) throw failure;
    await cursorSaved;
    this.logger.log({
      msg: 'campaign enrolled',
      campaignId: run.campaignId,
      enrolled: total,
      testMode: run.testMode,
      ms: Date.now() - started,
    });
    return total;
  }

  /** One page and its count, committed together; the counter is touched last (row lock). */
  private writePage(campaignId: string, target: EnrollTarget, page: StagedPage): Promise<number> {
    return this.ds.transaction(async (m) => {
      const n = await enrollPage(m, target, page);
      if (n)
        await m.query(
          `UPDATE executor.campaign_runs SET enrolled = enrolled + $2, updated_at = now()
            WHERE campaign_id = $1`,
          [campaignId, n],
        );
      return n;
    });
  }

  /** The resume point; `null` after the last page: enrollment done. */
  private async saveCursor(campaignId: string, after: string | null): Promise<void> {
    await this.ds.query(
      `UPDATE executor.campaign_runs SET enroll_cursor = $2, enroll_done = $3, updated_at = now()
        WHERE campaign_id = $1`,
      [campaignId, after, after === null],
    );
  }

  private fetch(run: CampaignRun, afterId: string | null, ctx: RequestContext) {
    const audience = run.snapshot.targetAudience ?? {};
    const request: AudienceRequest = {
      segmentIds: audience.segments ?? [],
      filters: audience.filters,
      targetPercentage: run.targetPercentage,
      sampleSalt: run.campaignId,
      ...(afterId ? { afterId } : {}),
      limit: this.env.ENROLL_PAGE_SIZE,
      format: 'copy',
    };
    return this.leads.call<AudiencePage>(LeadsRpc.resolveAudience, request, ctx, 120000);
  }

  /** Test recipients are not leads: each gets a stable id derived from workspace and address. */
  private testPage(run: CampaignRun): AudiencePage {
    const emails = [
      ...new Set((run.snapshot.settings.testRecipients ?? []).map((e) => e.toLowerCase())),
    ];
    const contacts = emails.map((email) =>
      bareContact(uuidFrom(`${run.workspaceId}:${email}`), email, { source: 'test_recipient' }),
    );
    return { contacts, nextAfterId: null };
  }
}

export function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
