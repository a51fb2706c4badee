import { GATEWAY_URL } from '@app/testing';
import fc from 'fast-check';
import { buildFixture, takeSnapshot, TenantFixture } from './security/fixtures';
import {
  loadOperations,
  Operation,
  pool,
  requestArbitrary,
  send,
  SweepContext,
  violations,
} from './security/route-sweep';

/**
 * The security sweep: every route of the OpenAPI document, called by tenant B with tenant A's
 * ids, B's own ids and garbage, hostile bodies (injection strings, wrong types, unknown fields,
 * malformed and oversized JSON) and bad keys. Nothing may answer 5xx, accept a foreign id,
 * leak A's data, or change A's resources; B's own resources change only through accepted requests.
 * SWEEP_RUNS inputs per route group (default 10,000; fast-check generates them).
 */
const RUNS = Number(process.env.SWEEP_RUNS ?? 10_000);

describe('security sweep over every route', () => {
  let ctx: SweepContext;
  let ops: Operation[];
  let before: { victim: Record<string, string>; attacker: Record<string, string> };
  const touched = new Set<string>();
  const failures: string[] = [];
  const stats: Record<string, { requests: number; byStatus: Record<number, number> }> = {};

  beforeAll(async () => {
    const [victim, attacker]: TenantFixture[] = await Promise.all([
      buildFixture('sweep-a'),
      buildFixture('sweep-b'),
    ]);
    const adminKey = attacker.tenant.adminKey;
    const revoked = await attacker.tenant.api.post('/api/v1/api-keys', { name: 'to revoke' });
    await attacker.tenant.api.delete(`/api/v1/api-keys/${revoked.body.data.id}`);
    const doc: any = await (await fetch(`${GATEWAY_URL}/docs-json`)).json();
    ctx = {
      victim,
      attacker,
      attackerAdminKey: adminKey,
      revokedKey: revoked.body.data.key,
      components: doc.components?.schemas ?? {},
    };
    ops = loadOperations(doc);
    before = { victim: await takeSnapshot(victim), attacker: await takeSnapshot(attacker) };
  }, 120_000);

  // The sweep's accepted requests leave webhooks to a discard port, some for every event. Left
  // active, they keep the executor's message-event fan-out open and its logs busy with failed
  // deliveries in every suite that runs after this one.
  afterAll(async () => {
    for (const { tenant } of [ctx.victim, ctx.attacker]) {
      const hooks = await tenant.api.get('/api/v1/webhooks');
      expect(hooks.status).toBe(200);
      await pool(hooks.body.data as { id: string }[], 8, async ({ id }) => {
        expect((await tenant.api.delete(`/api/v1/webhooks/${id}`)).status).toBe(200);
      });
      expect((await tenant.api.get('/api/v1/webhooks')).body.data).toEqual([]);
    }
  }, 120_000);

  it('covers every route group of the API', () => {
    const groups = new Set(ops.map((o) => o.group));
    for (const group of [
      'campaigns',
      'steps',
      'tasks',
      'content',
      'templates',
      'admin',
      'api-keys',
      'leads',
      'segments',
    ]) {
      expect(groups).toContain(group);
    }
    expect(ops.length).toBeGreaterThan(60);
  });

  it(`sends ${RUNS} generated requests per route group without a 5xx, a leak or a foreign write`, async () => {
    const groups = [...new Set(ops.map((o) => o.group))];
    for (const group of groups) {
      const groupOps = ops.filter((o) => o.group === group);
      const perOp = Math.ceil(RUNS / groupOps.length);
      const requests = groupOps.flatMap((op) =>
        fc.sample(requestArbitrary(op, ctx), { numRuns: perOp, seed: 42 }),
      );
      const stat: { requests: number; byStatus: Record<number, number> } = (stats[group] = {
        requests: 0,
        byStatus: {},
      });
      await pool(requests, 12, async (req) => {
        let res: { status: number; text: string };
        try {
          res = await send(req, ctx);
        } catch (err) {
          res = { status: 599, text: `request failed: ${(err as Error).message}` };
        }
        stat.requests++;
        stat.byStatus[res.status] = (stat.byStatus[res.status] ?? 0) + 1;
        if (res.status < 300 && req.op.method !== 'GET')
          req.ownIds.forEach((id) => touched.add(id));
        for (const v of violations(req, res, ctx)) {
          if (failures.length < 25)
            failures.push(
              `${req.op.method} ${req.url.slice(0, 200)} [${req.auth}]: ${v} — ${res.text.slice(0, 200)}`,
            );
        }
      });
    }
    process.stdout.write(`security sweep: ${JSON.stringify(stats)}\n`);
    expect(failures).toEqual([]);
    for (const s of Object.values(stats)) expect(s.requests).toBeGreaterThanOrEqual(RUNS);
  }, 3_600_000);

  it('left the other tenant’s resources exactly as they were', async () => {
    expect(await takeSnapshot(ctx.victim)).toEqual(before.victim);
  });

  it('changed the caller’s own resources only through accepted requests', async () => {
    const after = await takeSnapshot(ctx.attacker);
    for (const [id, paths] of Object.entries(ctx.attacker.snapshots)) {
      if (touched.has(id)) continue;
      for (const path of paths) expect([path, after[path]]).toEqual([path, before.attacker[path]]);
    }
  });
});
