import { AnalyticsRpc, CampaignStatistics, CampaignView } from '@app/contracts';
import { ServiceClient } from '../core/service-client';
import { CampaignStatisticsReader } from './campaign-statistics';

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

const ctx = { requestId: 'r' };

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
});
