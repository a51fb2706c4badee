import * as net from 'node:net';
import { Api, spawnApp, stopProcess, TEST_PORTS, TestTenant, waitForHealth } from '@app/testing';
import type { ChildProcess } from 'node:child_process';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';

/** Talks to the leads service over TCP the way the executor does (LeadsRpc contract). */
export async function leadsRpc<T>(tenant: TestTenant, pattern: string, data: unknown): Promise<T> {
  const client = ClientProxyFactory.create({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: TEST_PORTS.leads },
  });
  try {
    const ctx = {
      requestId: randomUUID(),
      tenantId: await tenantIdOf(tenant),
      workspaceId: tenant.workspaceId,
    };
    return await firstValueFrom(client.send<T>(pattern, { ctx, data }));
  } finally {
    client.close();
  }
}

const tenantIds = new Map<string, string>();

async function tenantIdOf(t: TestTenant): Promise<string> {
  if (!tenantIds.has(t.workspaceId)) {
    const res = await t.admin.get('/api/v1/admin/workspaces');
    const ws = res.body.data.find((w: { id: string }) => w.id === t.workspaceId);
    tenantIds.set(t.workspaceId, ws.tenantId);
  }
  return tenantIds.get(t.workspaceId)!;
}

/** Uploads a CSV as a user would (multipart), returning the raw response. */
export function uploadCsv(
  api: Api,
  path: string,
  csv: string | Buffer,
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return api.post(path, form);
}

/** Polls an import job until it is over. */
export async function waitForImport(api: Api, jobId: string, timeoutMs = 60000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.get(`/api/v1/leads/imports/${jobId}`);
    if (['completed', 'failed'].includes(res.body.data?.status)) return res.body.data;
    if (Date.now() > deadline) throw new Error(`import ${jobId} not done: ${res.text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A port nobody listens on right now (for the extra processes a test starts itself). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A second leads service and a gateway in front of it, on free ports, beside the suite's own
 * stack (other limits, batch sizes, a worker to stop mid-job); `api` reaches that gateway with
 * the tenant's key. Stopped again if either fails to come up.
 */
export async function ownLeadsStack(
  key: string,
  leadsEnv: Record<string, string>,
  gatewayEnv: Record<string, string>,
  suffix: string,
): Promise<{ leads: ChildProcess; gateway: ChildProcess; api: Api }> {
  const [leadsPort, healthPort, gatewayPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
  ]);
  const leads = spawnApp(
    'leads',
    { LEADS_PORT: String(leadsPort), HEALTH_PORT: String(healthPort), ...leadsEnv },
    suffix,
  );
  const gateway = spawnApp(
    'gateway',
    { PORT: String(gatewayPort), LEADS_PORT: String(leadsPort), ...gatewayEnv },
    suffix,
  );
  try {
    await waitForHealth(`http://127.0.0.1:${healthPort}/health`);
    await waitForHealth(`http://127.0.0.1:${gatewayPort}/health`);
  } catch (err) {
    await Promise.all([stopProcess(leads), stopProcess(gateway)]);
    throw err;
  }
  return { leads, gateway, api: new Api(key, `http://127.0.0.1:${gatewayPort}`) };
}
