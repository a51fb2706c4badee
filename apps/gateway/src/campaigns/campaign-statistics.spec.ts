import { AnalyticsRpc, CampaignStatistics, CampaignView } from '@app/contracts';
import { ServiceClient } from '../core/service-client';
import { CampaignStatisticsReader, NO_STATISTICS } from './campaign-statistics';

const view = (id: string) => ({ id, name: id }) as unknown as CampaignView;
const figures = (sent: number) => ({ sent, opened: 1 }) as unknown as CampaignStatistics;

function reader(answer: (pattern: string, data: unknown) => Promise<unknown>) {
  const calls: { pattern: string; data: unknown; timeoutMs?: number }[] = [];
  const client = {
    timeoutMs: 15000,
    call: (pattern: string, data: unknown, _ctx: unknown, timeoutMs?: number) => {
      calls.push({ pattern, data, timeoutMs });
      return answer(pattern, data);
    },
  } as unknown as ServiceClient;
  return { calls, reader: new CampaignStatisticsReader(client) };
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

  it('gives a campaign just created zeros without asking analytics', () => {
    const { calls, reader: r } = reader(async () => ({}));
    expect(r.fresh(view('new')).statistics).toEqual(NO_STATISTICS);
    expect(calls).toEqual([]);
  });
});
