import { AnalyticsRpc, CampaignStatistics, CampaignView, ExecutorRpc } from '@app/contracts';
import { ServiceClient } from '../core/service-client';
import { CampaignStatisticsReader, NO_STATISTICS } from './campaign-statistics';

const view = (id: string) => ({ id, name: id }) as unknown as CampaignView;
const figures = (sent: number) => ({ sent, opened: 1 }) as unknown as CampaignStatistics;

type Answer = (pattern: string, data: unknown) => Promise<unknown>;
type Call = { pattern: string; data: unknown; timeoutMs?: number };

function client(answer: Answer, calls: Call[]): ServiceClient {
  return {
    timeoutMs: 15000,
    call: (pattern: string, data: unknown, _ctx: unknown, timeoutMs?: number) => {
      calls.push({ pattern, data, timeoutMs });
      return answer(pattern, data);
    },
  } as unknown as ServiceClient;
}

/** `calls` are the analytics calls, `executorCalls` the executor's (enrolled counts). */
function reader(analytics: Answer, executor: Answer = async () => ({})) {
  const calls: Call[] = [];
  const executorCalls: Call[] = [];
  return {
    calls,
    executorCalls,
    reader: new CampaignStatisticsReader(client(analytics, calls), client(executor, executorCalls)),
  };
}

const ctx = { requestId: 'r', workspaceId: 'w1' };

describe('CampaignStatisticsReader', () => {
  it('asks analytics once for a page and gives each view its own figures', async () => {
    const { calls, reader: r } = reader(async () => ({ a: figures(5), b: figures(7) }));
    const out = await r.fill(ctx, [view('a'), view('b'), view('c')]);
    expect(calls).toEqual([
      {
        pattern: AnalyticsRpc.campaignStatistics,
        data: { campaignIds: ['a', 'b', 'c'] },
        timeoutMs: 2000,
      },
    ]);
    expect(out.map((v) => v.statistics)).toEqual([figures(5), figures(7), null]);
    expect(out[0].name).toBe('a');
  });

  it('answers null figures, not zeros, when analytics fails or times out', async () => {
    const { reader: r } = reader(async () => {
      throw new Error('analytics did not answer within 2000 ms');
    });
    expect((await r.one(ctx, view('a'))).statistics).toBeNull();
  });

  it('does not call analytics for an empty page', async () => {
    const { calls, reader: r } = reader(async () => ({}));
    expect(await r.fill(ctx, [])).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('reuses a campaign’s figures for a second, per workspace, and asks only for the others', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      let sent = 5;
      const { calls, reader: r } = reader(async (_p, data) =>
        Object.fromEntries(
          (data as { campaignIds: string[] }).campaignIds.map((id) => [id, figures(sent)]),
        ),
      );
      await r.fill(ctx, [view('a')]);
      sent = 9;
      jest.setSystemTime(1_000_900);
      const again = await r.fill(ctx, [view('a'), view('b')]);
      expect(again.map((v) => v.statistics?.sent)).toEqual([5, 9]);
      expect(calls.map((c) => c.data)).toEqual([{ campaignIds: ['a'] }, { campaignIds: ['b'] }]);
      // Another workspace never gets them, and after a second they are asked for again.
      await r.fill({ ...ctx, workspaceId: 'w2' }, [view('a')]);
      jest.setSystemTime(1_001_000);
      expect((await r.one(ctx, view('a'))).statistics?.sent).toBe(9);
      expect(calls.map((c) => c.data)).toEqual([
        { campaignIds: ['a'] },
        { campaignIds: ['b'] },
        { campaignIds: ['a'] },
        { campaignIds: ['a'] },
      ]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('gives a campaign just created zeros and no audience count without asking anyone', () => {
    const { calls, executorCalls, reader: r } = reader(async () => ({}));
    const fresh = r.fresh(view('new'));
    expect(fresh.statistics).toEqual(NO_STATISTICS);
    expect(fresh.targetAudience).toEqual({ totalCount: null });
    expect([...calls, ...executorCalls]).toEqual([]);
  });

  it('sets targetAudience.totalCount from the executor’s enrolled counts, null for a campaign it has not run', async () => {
    const { executorCalls, reader: r } = reader(
      async () => ({ a: figures(5), b: figures(0) }),
      async () => ({ a: 1200 }),
    );
    const withSegments = {
      ...view('a'),
      targetAudience: { segments: ['s1'] },
    } as unknown as CampaignView;
    const out = await r.fill(ctx, [withSegments, view('b')]);
    expect(executorCalls).toEqual([
      { pattern: ExecutorRpc.enrolledCounts, data: { campaignIds: ['a', 'b'] }, timeoutMs: 2000 },
    ]);
    expect(out.map((v) => v.targetAudience)).toEqual([
      { segments: ['s1'], totalCount: 1200 },
      { totalCount: null },
    ]);
    expect(out[0].statistics).toEqual(figures(5));
  });

  it('answers a null count when the executor fails, keeps the statistics, and asks again next time', async () => {
    let up = false;
    const { executorCalls, reader: r } = reader(
      async () => ({ a: figures(5) }),
      async () => {
        if (!up) throw new Error('executor did not answer within 2000 ms');
        return { a: 7 };
      },
    );
    const first = await r.one(ctx, view('a'));
    expect(first.targetAudience).toEqual({ totalCount: null });
    expect(first.statistics).toEqual(figures(5));
    up = true;
    expect((await r.one(ctx, view('a'))).targetAudience).toEqual({ totalCount: 7 });
    expect(executorCalls).toHaveLength(2);
  });
});
